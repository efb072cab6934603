/**
 * {@code scratchgpt bench}: measured speed, beside a reference, in one run. Read {@link
 * org.scratchgpt.bench.TrainBench} first (real training steps: tokens/s and MFU), then {@link
 * org.scratchgpt.bench.GenerateBench} (with and without the KV cache), {@link org.scratchgpt.bench.QuantizeBench}
 * (what each weight format costs in held-out loss and buys in speed), {@link org.scratchgpt.bench.Ablation} (what
 * each technique buys), {@link org.scratchgpt.bench.FinetuneBench} (what fine-tuning costs), {@link
 * org.scratchgpt.bench.TokenizerBench} (our BPE against HuggingFace's), {@link org.scratchgpt.bench.DataBench} and
 * {@link org.scratchgpt.bench.DedupBench} (the data stage on a {@link org.scratchgpt.bench.GeneratedCorpus}); {@link
 * org.scratchgpt.bench.TorchEager} (training) and {@link org.scratchgpt.bench.TorchGenerate} (generation), PyTorch
 * scripts kept running by {@link org.scratchgpt.bench.PythonPeer} that take turns with ScratchGPT ({@link
 * org.scratchgpt.bench.TakingTurns}) and name their BLAS ({@link org.scratchgpt.bench.LoadedBlas}), and {@link
 * org.scratchgpt.bench.HfNodeTrainer} run the peers; {@link org.scratchgpt.bench.StepProfile} reads where a step's
 * time goes from libtorch's profiler into an {@link org.scratchgpt.bench.OpProfile}, and {@link
 * org.scratchgpt.bench.Machine} says where it all ran. A benchmark uses whatever it measures; only cli may use
 * bench.
 *
 * <p>May use: checkpoint, curation, curation.dedup, curation.read, curation.shards, generation, io, lora, model, optim, plan, quantize, tokenizer, tokens, training.
 */
package org.scratchgpt.bench;
