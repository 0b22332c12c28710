package org.smtstream.processor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.math.Dictionary;
import org.smtstream.processor.math.Nd4jRuntime;
import org.smtstream.processor.math.OnlineSparseCoding;

/**
 * Milliseconds per frame of the processor's math ({@link OnlineSparseCoding#process}: FISTA at the
 * iteration cap, metrics, one dictionary step) for each preset, next to same-run references: the
 * same number of bare GEMM pairs (the floor of this algorithm) and a 1024^3 SGEMM (the machine).
 * Not a unit test and no assertions; a harness with warm-up and repeated frames until the JMH
 * benchmarks exist (DESIGN section 6).
 *
 * <pre>
 *   mvn -q -pl stream-processor test-compile exec:java -Dexec.classpathScope=test \
 *       -Dexec.mainClass=org.smtstream.processor.bench.FrameTiming [-Dexec.args="fast seed"]
 * </pre>
 * Run with OMP_WAIT_POLICY=PASSIVE, and for a benchmark run (only) without OPENBLAS_CORETYPE /
 * OPENBLAS_L2_SIZE.
 */
public final class FrameTiming {

    private static final int WARM_UP_FRAMES = 10;
    private static final int MEASURED_FRAMES = 40;

    private FrameTiming() {
    }

    public static void main(String[] args) throws IOException {
        Nd4jRuntime.useFloatByDefault();
        System.out.printf("CPU %s, %d cores; OMP_WAIT_POLICY=%s OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_WAIT_POLICY"),
                System.getenv("OPENBLAS_CORETYPE"), System.getenv("OPENBLAS_L2_SIZE"));
        System.out.printf("SGEMM 1024^3: %.1f GFLOP/s%n", sgemmRate(1024, 1024, 1024));
        for (String preset : args.length == 0 ? new String[] {"fast", "seed"} : args) {
            time(SmtConfig.preset(preset));
        }
    }

    private static void time(SmtConfig preset) {
        // Tolerance 0: every frame runs the iteration cap, as frames of real video do (measured on vtest.avi).
        SmtConfig config = preset.with(Map.of("tolerance", "0"));
        int n = config.patchDim();
        int atoms = config.dictionarySize();
        int batch = config.patchesPerFrame();
        OnlineSparseCoding model = new OnlineSparseCoding(config, 200, true);
        SplittableRandom random = new SplittableRandom(1);
        float[][] frames = new float[8][n * batch];
        for (float[] frame : frames) {
            for (int k = 0; k < frame.length; k++) {
                frame[k] = (float) (2 * random.nextDouble() - 1) * 1.7f;   // unit variance, like whitened pixels
            }
        }
        long[] nanos = new long[MEASURED_FRAMES];
        for (int t = 0; t < WARM_UP_FRAMES + MEASURED_FRAMES; t++) {
            long start = System.nanoTime();
            model.process(frames[t % frames.length], null);
            if (t >= WARM_UP_FRAMES) {
                nanos[t - WARM_UP_FRAMES] = System.nanoTime() - start;
            }
        }
        double gemmFloorMs = gemmPairsMs(n, atoms, batch, config.maxIterations());
        Arrays.sort(nanos);
        double median = nanos[nanos.length / 2] / 1e6;
        double flops = 4.0 * n * atoms * batch * config.maxIterations();
        System.out.printf("%s (n=%d N=%d B=%d, %d iterations): %.1f ms/frame median, %.1f p90, %.1f min "
                        + "(%.0f frames/s); bare GEMM pairs %.1f ms -> %.0f%% of the frame in GEMMs, %.1f GFLOP/s achieved%n",
                config.name(), n, atoms, batch, config.maxIterations(), median, nanos[nanos.length * 9 / 10] / 1e6,
                nanos[0] / 1e6, 1000 / median, gemmFloorMs, 100 * gemmFloorMs / median, flops / (median * 1e6));
    }

    /** Median time of {@code iterations} pairs Phi Z, Phi^T R: what FISTA cannot avoid. */
    private static double gemmPairsMs(int n, int atoms, int batch, int iterations) {
        INDArray phi = Dictionary.random(n, atoms, 2).phi();
        INDArray z = Nd4j.rand(DataType.FLOAT, atoms, batch).dup('f');
        INDArray r = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, batch}, 'f');
        INDArray g = Nd4j.createUninitialized(DataType.FLOAT, new long[] {atoms, batch}, 'f');
        long[] nanos = new long[15];
        for (int rep = 0; rep < nanos.length; rep++) {
            long start = System.nanoTime();
            for (int k = 0; k < iterations; k++) {
                Nd4j.gemm(phi, z, r, false, false, 1.0, 0.0);
                Nd4j.gemm(phi, r, g, true, false, 1.0, 0.0);
            }
            nanos[rep] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2] / 1e6;
    }

    private static double sgemmRate(int m, int k, int n) {
        INDArray a = Nd4j.rand(DataType.FLOAT, m, k).dup('f');
        INDArray b = Nd4j.rand(DataType.FLOAT, k, n).dup('f');
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, n}, 'f');
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 10; rep++) {
            long start = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            best = Math.min(best, System.nanoTime() - start);
        }
        return 2.0 * m * k * n / best;
    }

    private static String cpuModel() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return System.getProperty("os.arch");
        }
        return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }
}
