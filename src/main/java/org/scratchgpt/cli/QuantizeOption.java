package org.scratchgpt.cli;

import org.scratchgpt.model.Compute;
import org.scratchgpt.quantize.WeightFormat;
import picocli.CommandLine.Option;

/** {@code --quantize int8}, shared by the commands that generate: in which format the weights are read. */
final class QuantizeOption {

    @Option(names = "--quantize", paramLabel = "int8",
            description = "int8: weight-only int8 with one scale per output row, a quarter of float32's bytes per"
                    + " step; the products run in bf16, and their results are returned in --precision's format."
                    + " Without it, --precision bf16|fp16 keeps the weights in that format, converted once, and fp32"
                    + " keeps them as trained.")
    String quantize;

    /** The format the weights are converted to after loading, for a model computing as {@code compute} says. */
    WeightFormat format(Compute compute) {
        return WeightFormat.forGeneration(compute.precision(), quantize);
    }
}
