package org.scratchgpt.bench;

import java.util.List;

/**
 * Which BLAS a process loaded, read from the libraries it mapped. Debian's python3-torch multiplies through
 * whatever {@code libblas.so.3} the system's alternatives select; with the reference BLAS it runs several times
 * slower, which once made ScratchGPT look 2-4x faster than PyTorch. So a comparison names the BLAS beside it.
 *
 * @param name e.g. "OpenBLAS (openblas-openmp)" or "reference BLAS"
 * @param slow whether it is the unoptimised reference implementation
 */
public record LoadedBlas(String name, boolean slow) {

    /** The BLAS among {@code libraries} (paths of mapped shared libraries). */
    public static LoadedBlas among(List<String> libraries) {
        for (String path : libraries) {
            String file = path.substring(path.lastIndexOf('/') + 1);
            String folder = path.substring(0, Math.max(0, path.lastIndexOf('/')));
            folder = folder.substring(folder.lastIndexOf('/') + 1);
            if (file.startsWith("libopenblas")) {
                return new LoadedBlas("OpenBLAS (" + folder + "/" + file + ")", false);
            }
            if (file.startsWith("libmkl")) {
                return new LoadedBlas("MKL (" + file + ")", false);
            }
            if (file.startsWith("libblis")) {
                return new LoadedBlas("BLIS (" + file + ")", false);
            }
        }
        for (String path : libraries) {
            if (path.endsWith("/blas/libblas.so.3") || path.contains("/blas/libblas.so")) {
                return new LoadedBlas("reference BLAS (" + path + ")", true);
            }
        }
        boolean anyBlas = libraries.stream().anyMatch(path -> path.contains("blas"));
        return new LoadedBlas(anyBlas ? "unrecognised BLAS" : "no BLAS library mapped", false);
    }

    /** The line printed beside a comparison, with advice when the BLAS would make PyTorch look slow. */
    public String describe() {
        return "PyTorch's BLAS: " + name + (slow ? "; it is unoptimised and makes PyTorch look several times slower:"
                + " apt-get install libopenblas0-openmp" : "");
    }
}
