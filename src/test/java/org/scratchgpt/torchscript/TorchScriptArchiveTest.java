package org.scratchgpt.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors written into a module file by {@link TorchScriptArchive} come back from libtorch, through DJL, unchanged. */
class TorchScriptArchiveTest {

    @TempDir Path dir;

    private static TorchScriptArchive.Tensor tensor(String name, long[] shape, float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new TorchScriptArchive.Tensor(name, shape, bytes);
    }

    @Test
    void aModuleReturnsTheWeightsWrittenIntoIt() throws Exception {
        String source = """
                class TwoWeights(Module):
                  __parameters__ = ["weight", ]
                  __buffers__ = ["table", ]
                  training : bool
                  weight : Tensor
                  table : Tensor
                  def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
                    return (torch.add(x, self.weight), self.table)
                """;
        float[] weight = {1.5f, -2f, 3.25f, 0f, 1e-8f, -7f};
        float[] table = {42f};
        Path file = dir.resolve("two.pt");
        try (OutputStream out = Files.newOutputStream(file)) {
            TorchScriptArchive.write(out, "TwoWeights", source, List.of(
                    tensor("weight", new long[] {2, 3}, weight), tensor("table", new long[] {1}, table)));
        }
        try (Model model = Model.newInstance("two", "PyTorch"); NDManager manager = NDManager.newBaseManager()) {
            model.load(file);
            NDArray zeros = manager.zeros(new ai.djl.ndarray.types.Shape(2, 3));
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(zeros), false);
            assertArrayEquals(new long[] {2, 3}, out.get(0).getShape().getShape());
            assertArrayEquals(weight, out.get(0).toFloatArray());
            assertArrayEquals(table, out.get(1).toFloatArray());
        }
    }
}
