/**
 * A bridge to PyTorch operations that DJL 0.35.1 does not expose (bfloat16 arithmetic, {@code
 * scaled_dot_product_attention}). Read {@link org.scratchgpt.torchscript.TorchScriptFunction} first: a function
 * written in TorchScript source, loaded through DJL's standard {@code Model.load} and run as a weightless function
 * whose inside autograd follows; {@link org.scratchgpt.torchscript.TorchScriptArchive} writes the module file it
 * loads, with no Python involved, and {@link org.scratchgpt.torchscript.ModulePickle} the pickle inside that file
 * (weights included, for a whole GPT exported by {@code djl}). The kernels themselves belong to the model ({@code
 * model.TorchKernels}): this package knows nothing of GPTs and uses no other package.
 *
 * <p>May use: nothing.
 */
package org.scratchgpt.torchscript;
