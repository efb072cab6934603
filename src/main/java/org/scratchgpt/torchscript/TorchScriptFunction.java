package org.scratchgpt.torchscript;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tensor function written in TorchScript and run through DJL: a module with no weights whose {@code forward}
 * takes and returns float32 arrays, and may compute in between with what DJL cannot express. Autograd sees
 * every operation inside, casts included, so gradients flow through it like through any DJL operation.
 *
 * <p>Functions are compiled once per process and shared: they hold no weights and no device of their own
 * (they run wherever their inputs are). Results belong to the first input's manager, so pass an activation
 * first, never a parameter.
 */
public final class TorchScriptFunction {

    private static final Map<String, TorchScriptFunction> COMPILED = new ConcurrentHashMap<>();

    private final String className;
    private final Model holder; // kept open for the life of the process: it owns the compiled module
    private final Block module;
    private final ParameterStore noWeights; // the module reads nothing from it; DJL's forward only wants one to exist

    private TorchScriptFunction(String className, Model holder) {
        this.className = className;
        this.holder = holder;
        this.module = holder.getBlock();
        this.noWeights = new ParameterStore(holder.getNDManager(), false);
    }

    /**
     * The function whose class {@code className} has the TorchScript method {@code forwardMethod}
     * (e.g. {@code def forward(self, x: Tensor) -> Tensor:\n  return torch.relu(x)\n}). Compiled on first use.
     */
    public static TorchScriptFunction of(String className, String forwardMethod) {
        String source = TorchScriptArchive.classSource(className, forwardMethod);
        return COMPILED.computeIfAbsent(source, s -> compile(className, s));
    }

    private static TorchScriptFunction compile(String className, String source) {
        // The Model lives as long as the process: the compiled code is shared by every model that uses it.
        Model holder = Model.newInstance("torchscript-" + className, Device.cpu(), "PyTorch");
        try {
            loadThroughOwnFile(holder, TorchScriptArchive.of(className, source));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            holder.close();
            throw new IllegalStateException("libtorch could not compile the TorchScript function " + className
                    + ": " + e.getMessage() + "\n" + source, e);
        }
        return new TorchScriptFunction(className, holder);
    }

    /**
     * Loads the module file from a temporary file of our own, deleted as soon as libtorch has read it. DJL's load
     * from a stream would instead make an empty {@code pt-model...} folder in the temporary directory for every
     * function, which only a normal JVM exit removes (File.deleteOnExit): each killed process left them behind.
     */
    private static void loadThroughOwnFile(Model holder, byte[] moduleFile) throws IOException, MalformedModelException {
        Path file = Files.createTempFile("scratchgpt-torchscript", ".pt");
        try {
            Files.write(file, moduleFile);
            holder.load(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs {@code forward} on the inputs; {@code training} switches the module's {@code self.training}. */
    public NDArray apply(boolean training, NDArray... inputs) {
        NDList outputs = module.forward(noWeights, new NDList(inputs), training);
        if (outputs.size() != 1) {
            throw new IllegalStateException(className + " returned " + outputs.size() + " arrays, expected one");
        }
        return outputs.singletonOrThrow();
    }

    @Override
    public String toString() {
        return "TorchScriptFunction[" + className + " in " + holder.getName() + "]";
    }
}
