package org.scratchgpt.torchscript;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * For {@code TemporaryFoldersTest}, in a JVM of its own: compiles and runs a TorchScript function, then stops the
 * JVM the way a kill does, without shutdown hooks, so nothing registered with File.deleteOnExit is removed.
 */
public final class CompileThenHalt {
    private CompileThenHalt() {}

    public static void main(String[] args) {
        TorchScriptFunction relu = TorchScriptFunction.of("HaltProbe",
                "def forward(self, x: Tensor) -> Tensor:\n  return torch.relu(x)\n");
        try (NDManager manager = NDManager.newBaseManager()) {
            System.out.println("computed " + relu.apply(false, manager.ones(new Shape(2))).sum().getFloat());
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
