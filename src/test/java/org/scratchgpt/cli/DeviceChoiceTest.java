package org.scratchgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchgpt.UserError;

/** --device on machines described by hand: none of this needs a GPU. */
class DeviceChoiceTest {
    private static final Libtorch CPU_BUILD =
            new Libtorch("2.7.1", "cpu", Path.of("/cache/pytorch/2.7.1-20250812-cpu-linux-x86_64"), 0);
    private static final Libtorch CUDA_NO_GPU = cuda(0);
    private static final Libtorch TWO_GPUS = cuda(2);

    private static Libtorch cuda(int gpus) {
        return new Libtorch("2.7.1", "cu128", Path.of("/cache/pytorch/2.7.1-cu128-linux-x86_64"), gpus);
    }

    @Test
    void autoTakesTheFirstGpuWhenThereIsOneElseTheCpu() {
        assertEquals(Device.gpu(0), DeviceChoice.parse("auto", TWO_GPUS));
        assertEquals(Device.cpu(), DeviceChoice.parse("auto", CPU_BUILD));
        assertEquals(Device.cpu(), DeviceChoice.parse("auto", CUDA_NO_GPU));
    }

    @Test
    void autoSaysWhatItPickedAndWhy() {
        assertEquals("device: cuda:0 (--device auto: the first of 2 GPUs)",
                DeviceChoice.autoReport(Device.gpu(0), TWO_GPUS));
        assertEquals("device: cpu (--device auto: the CUDA libtorch finds no GPU)",
                DeviceChoice.autoReport(Device.cpu(), CUDA_NO_GPU));
        String cpu = DeviceChoice.autoReport(Device.cpu(), CPU_BUILD);
        assertTrue(cpu.startsWith("device: cpu (--device auto: this process runs the CPU libtorch"), cpu);
        assertTrue(cpu.contains("SCRATCHGPT_LIBTORCH=cu128"), cpu);
    }

    @Test
    void namedDevices() {
        assertEquals(Device.cpu(), DeviceChoice.parse("cpu", TWO_GPUS));
        assertEquals(Device.cpu(), DeviceChoice.parse("cpu", CPU_BUILD));
        assertEquals(Device.gpu(0), DeviceChoice.parse("cuda", TWO_GPUS));
        assertEquals(Device.gpu(0), DeviceChoice.parse("gpu", TWO_GPUS));
        assertEquals(Device.gpu(1), DeviceChoice.parse("cuda:1", TWO_GPUS));
        assertEquals(Device.gpu(1), DeviceChoice.parse("gpu:1", TWO_GPUS));
        assertEquals(Device.gpu(1), DeviceChoice.parse(" CUDA:1 ", TWO_GPUS));
    }

    @Test
    void namesAreWhatAUserTypes() {
        assertEquals("cpu", DeviceChoice.name(Device.cpu()));
        assertEquals("cuda:0", DeviceChoice.name(Device.gpu(0)));
        assertEquals("cuda:3", DeviceChoice.name(Device.gpu(3)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tpu", "", "cuda:", "cuda:-1", "cuda:x", "cuda0", "cuda:1:2", "cuda:99999999999", "mps"})
    void whatIsNoDeviceSaysWhatIs(String text) {
        UserError e = assertThrows(UserError.class, () -> DeviceChoice.parse(text, TWO_GPUS));
        assertTrue(e.getMessage().contains("is not a device: use auto, cpu, cuda (the first GPU) or cuda:N"),
                e.getMessage());
    }

    @Test
    void aGpuOnTheCpuLibtorchSaysHowToGetTheCudaOne() {
        for (String text : new String[] {"cuda", "cuda:0", "gpu"}) {
            UserError e = assertThrows(UserError.class, () -> DeviceChoice.parse(text, CPU_BUILD));
            String message = e.getMessage();
            assertTrue(message.startsWith("--device " + text + ": this process runs DJL's CPU libtorch"), message);
            assertTrue(message.contains("SCRATCHGPT_LIBTORCH=cu128 ./scratchgpt"), message);
            assertTrue(message.contains("docker run --gpus all"), message);
            assertTrue(message.contains("--device cpu"), message);
        }
    }

    @Test
    void aGpuOnACudaLibtorchThatFindsNoneSaysWhatToCheck() {
        UserError e = assertThrows(UserError.class, () -> DeviceChoice.parse("cuda", CUDA_NO_GPU));
        assertTrue(e.getMessage().contains("the CUDA libtorch is loaded but finds no GPU"), e.getMessage());
        assertTrue(e.getMessage().contains("nvidia-smi") && e.getMessage().contains("--gpus all"), e.getMessage());
    }

    @Test
    void aGpuNumberBeyondTheCountListsTheGpusThereAre() {
        UserError e = assertThrows(UserError.class, () -> DeviceChoice.parse("cuda:2", TWO_GPUS));
        assertTrue(e.getMessage().startsWith("--device cuda:2: there is no GPU 2 here; the GPUs are cuda:0, cuda:1"),
                e.getMessage());
    }

    @Test
    void theFlavorIsReadFromDjlsFolderName() {
        assertEquals("cpu", Libtorch.flavorOf(Path.of("/root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64")));
        assertEquals("cu128", Libtorch.flavorOf(Path.of("/opt/djl/pytorch/2.7.1-cu128-linux-x86_64")));
        assertEquals("cu124", Libtorch.flavorOf(Path.of("/c/pytorch/2.5.1-cu124-precxx11-linux-x86_64")));
        assertEquals("unknown", Libtorch.flavorOf(Path.of("/usr/local/libtorch/lib")));
    }

    @Test
    void theTestsRunOnTheCpuLibtorchFromTheNativeJar() {
        Libtorch loaded = Libtorch.loaded();
        assertEquals("cpu", loaded.flavor(), loaded.describe());
        assertEquals(0, loaded.gpuCount(), "a CPU build sees no GPU");
        assertEquals("2.7.1", loaded.version());
    }
}
