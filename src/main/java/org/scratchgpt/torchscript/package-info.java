/**
 * A bridge to PyTorch operations that DJL 0.35.1 does not expose (bfloat16 arithmetic, {@code
 * scaled_dot_product_attention}). {@link org.scratchgpt.torchscript.TorchScriptArchive} writes a TorchScript
 * module file from a few lines of source, with no Python involved; {@link
 * org.scratchgpt.torchscript.TorchScriptFunction} loads it through DJL's standard {@code Model.load} and runs it
 * as a weightless function whose inside autograd follows. The kernels themselves live with the model, in
 * {@code model/TorchKernels}.
 */
package org.scratchgpt.torchscript;
