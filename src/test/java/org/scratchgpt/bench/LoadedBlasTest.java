package org.scratchgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which BLAS PyTorch loaded, from the libraries its process mapped (paths as Debian's alternatives resolve them). */
class LoadedBlasTest {

    @Test
    void openBlasIsNamed() {
        LoadedBlas blas = LoadedBlas.among(List.of("/usr/lib/x86_64-linux-gnu/libgomp.so.1.0.0",
                "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3",
                "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblasp-r0.3.21.so"));
        assertEquals(new LoadedBlas("OpenBLAS (openblas-openmp/libopenblasp-r0.3.21.so)", false), blas);
        assertEquals("PyTorch's BLAS: OpenBLAS (openblas-openmp/libopenblasp-r0.3.21.so)", blas.describe());
    }

    @Test
    void theReferenceBlasIsCalledSlowWithTheFix() {
        LoadedBlas blas = LoadedBlas.among(List.of("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3",
                "/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3"));
        assertTrue(blas.slow());
        assertTrue(blas.describe().endsWith("apt-get install libopenblas0-openmp"), blas.describe());
    }

    @Test
    void noBlasIsSaidPlainly() {
        assertEquals("no BLAS library mapped", LoadedBlas.among(List.of("/usr/lib/libc.so.6")).name());
    }
}
