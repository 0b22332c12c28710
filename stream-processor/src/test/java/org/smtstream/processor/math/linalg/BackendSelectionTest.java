package org.smtstream.processor.math.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BackendSelectionTest {

    private static final String CPU = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";
    private static final String CUDA = BackendSelection.CUDA_BACKEND_CLASS;

    @Test
    void shouldReportAFallbackWhenTheCudaBuildFindsNoGpu() {
        BackendSelection s = BackendSelection.decide(null, true, CPU);
        assertEquals("cuda", s.requested(), "auto with the CUDA backend on the classpath asks for CUDA");
        assertEquals("cpu", s.loaded());
        assertTrue(s.fallback());
        assertTrue(s.message().contains("no usable GPU") && s.message().contains("CpuBackend"), s.message());
    }

    @Test
    void shouldReportAFallbackWhenCudaIsRequestedFromACpuBuild() {
        BackendSelection s = BackendSelection.decide("CUDA", false, CPU);
        assertTrue(s.fallback());
        assertTrue(s.message().contains("-Pcuda"), s.message());
    }

    @Test
    void shouldNotReportAFallbackOnTheGpuOrOnAPlainCpuBuild() {
        BackendSelection gpu = BackendSelection.decide("auto", true, CUDA);
        assertFalse(gpu.fallback());
        assertEquals("cuda", gpu.loaded());
        assertTrue(gpu.message().contains("CUDA (JCublasBackend)"), gpu.message());
        BackendSelection cpu = BackendSelection.decide("", false, CPU);
        assertFalse(cpu.fallback());
        assertEquals("cpu", cpu.requested());
        assertEquals("ND4J backend: CPU (CpuBackend)", cpu.message());
        assertEquals("ND4J backend: CPU (CpuBackend), as requested",
                BackendSelection.decide("cpu", true, CPU).message());
    }

    @Test
    void shouldSayWhenCpuWasAskedForButCudaLoaded() {
        BackendSelection s = BackendSelection.decide("cpu", true, CUDA);
        assertFalse(s.fallback());
        assertEquals("cuda", s.loaded());
        assertTrue(s.message().contains("CPU requested"), s.message());
    }

    @Test
    void shouldRejectAnUnknownRequest() {
        assertThrows(IllegalArgumentException.class, () -> BackendSelection.decide("tpu", false, CPU));
    }

    /** On a machine without a GPU: the CPU runs, and it is a fallback exactly when the build carries CUDA. */
    @Test
    void shouldRunOnTheCpuHereAndCallItAFallbackOnlyInACudaBuild() {
        BackendSelection s = Nd4jRuntime.logBackend();
        Assumptions.assumeTrue(s.loaded().equals("cpu"), "this machine has a usable GPU");
        Assumptions.assumeTrue(BackendSelection.request() == null, "a backend was requested explicitly");
        assertEquals(BackendSelection.cudaOnClasspath(), s.fallback(), s.message());
    }
}
