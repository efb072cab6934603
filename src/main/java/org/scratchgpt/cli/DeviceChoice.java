package org.scratchgpt.cli;

import ai.djl.Device;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.scratchgpt.UserError;

/**
 * The {@code --device} setting, turned into a DJL {@link Device}: {@code auto} (the first GPU when this process's
 * libtorch can use one, else the CPU), {@code cpu}, {@code cuda} (the first GPU) or {@code cuda:N} (GPU number N;
 * {@code gpu} and {@code gpu:N} say the same, in DJL's words). Asking for a GPU that is not there is an error that
 * says why and what to do: a run that silently trained on the CPU instead would just be slow, with no hint why.
 *
 * <p>It depends only on the text and the {@link Libtorch} it is given, so every answer can be tested on a machine
 * without a GPU.
 */
final class DeviceChoice {
    static final String AUTO = "auto";

    // \d{1,9}: any GPU number that fits an int; a longer one is no GPU anyway.
    private static final Pattern GPU = Pattern.compile("(?:cuda|gpu)(?::(\\d{1,9}))?");

    private DeviceChoice() {}

    /** The device {@code text} names, on a process whose libtorch is {@code libtorch}. */
    static Device parse(String text, Libtorch libtorch) {
        String choice = text.strip().toLowerCase(Locale.ROOT);
        if (choice.equals(AUTO)) {
            return libtorch.gpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (choice.equals("cpu")) {
            return Device.cpu();
        }
        Matcher gpu = GPU.matcher(choice);
        if (!gpu.matches()) {
            throw new UserError("--device " + text + " is not a device: use auto, cpu, cuda (the first GPU) or cuda:N"
                    + " (GPU number N, from 0)");
        }
        if (libtorch.gpuCount() == 0) {
            throw noGpu(text, libtorch);
        }
        int index = gpu.group(1) == null ? 0 : Integer.parseInt(gpu.group(1));
        if (index >= libtorch.gpuCount()) {
            throw new UserError("--device " + text + ": there is no GPU " + index + " here; the GPUs are "
                    + gpuNames(libtorch.gpuCount()) + " (nvidia-smi lists them in the same order unless"
                    + " CUDA_VISIBLE_DEVICES says otherwise)");
        }
        return Device.gpu(index);
    }

    /** A GPU was asked for and there is none: the fix depends on whether this libtorch could use one at all. */
    private static UserError noGpu(String text, Libtorch libtorch) {
        if (libtorch.isCudaBuild()) {
            return new UserError("--device " + text + ": the CUDA libtorch is loaded but finds no GPU: check that"
                    + " nvidia-smi lists one (a driver for CUDA 12.8 or newer) and, in Docker, that the container was"
                    + " started with --gpus all; or use --device cpu");
        }
        return new UserError("--device " + text + ": this process runs DJL's CPU libtorch (" + libtorch.folder() + "),"
                + " which cannot use a GPU. For the CUDA libtorch, run the launcher in its CUDA mode"
                + " (SCRATCHGPT_LIBTORCH=cu128 ./scratchgpt ...; DJL fetches libtorch for CUDA 12.8 at first use) or the"
                + " Docker image (docker run --gpus all ...); or use --device cpu");
    }

    /** The message that says what auto chose, and why. */
    static String autoReport(Device device, Libtorch libtorch) {
        String why;
        if (device.isGpu()) {
            why = "the first of " + libtorch.gpuCount() + " GPU" + (libtorch.gpuCount() == 1 ? "" : "s");
        } else if (libtorch.isCudaBuild()) {
            why = "the CUDA libtorch finds no GPU";
        } else {
            why = "this process runs the CPU libtorch; SCRATCHGPT_LIBTORCH=cu128 runs the CUDA one";
        }
        return "device: " + name(device) + " (--device auto: " + why + ")";
    }

    /** The name a user would type for {@code device}: cpu, cuda:0, ... */
    static String name(Device device) {
        return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
    }

    /** cuda:0, cuda:1, ... for {@code count} GPUs. */
    static String gpuNames(int count) {
        return IntStream.range(0, count).mapToObj(i -> "cuda:" + i).collect(Collectors.joining(", "));
    }
}
