package org.smtstream.processor.offline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.Json;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.layer.FrameInference;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.layer.OnlineSmtLearner;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * A short in-process timing of the per-frame work of the processor, per preset, beside same-run
 * references (stream-processor/BENCHMARKS.md): the machine's SGEMM rate (1024^3) and the bare GEMM pairs that
 * FISTA cannot avoid. The frame is what runs live: {@link FrameInference} (eq. 3.4 with a learned P)
 * and {@link OnlineSmtLearner#learn} (re-code, dictionary step, V, one A.1 step), timed separately,
 * at the iteration cap (tolerance 0: frames of real video reach it). Warm-up frames first, then the
 * median and 90th percentile of the measured ones. Not JMH (that suite is in the test sources, run by
 * {@code mvn -pl stream-processor -Pbench test-compile exec:exec}); good for a quick comparison of
 * machines, and every figure comes with the same run's reference.
 *
 * @param cpu            CPU model
 * @param cores          available processors
 * @param environment    OMP_WAIT_POLICY, OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE as set (null when unset)
 * @param backend        the ND4J backend line
 * @param sgemmGflops    1024^3 SGEMM, best of 10
 * @param presets        one timing per preset
 */
public record FrameBench(String cpu, int cores, Map<String, String> environment, String backend, double sgemmGflops,
                         List<Timing> presets) {

    public static final String JSON_FILE = "bench.json";
    public static final String MARKDOWN_FILE = "bench.md";

    /**
     * @param preset         name
     * @param inferMedianMs  FrameInference per frame, median
     * @param inferP90Ms     90th percentile
     * @param learnMedianMs  the learner per frame, median
     * @param framesPerSecond 1000 / (infer + learn medians): one instance doing both on this machine
     * @param gemmFloorMs    the coder's bare GEMM pairs at the iteration cap, median
     * @param frames         measured frames
     */
    public record Timing(String preset, double inferMedianMs, double inferP90Ms, double learnMedianMs,
                         double framesPerSecond, double gemmFloorMs, int frames) {
    }

    /** Measures the given presets with {@code warmUp} + {@code frames} frames each. */
    public static FrameBench run(List<String> presets, int warmUp, int frames) throws IOException {
        Nd4jRuntime.useFloatByDefault();
        String backend = Nd4jRuntime.logBackend().message();
        double sgemm = sgemmGflops(1024);
        List<Timing> timings = new ArrayList<>();
        for (String preset : presets) {
            timings.add(time(SmtConfig.preset(preset), warmUp, frames));
        }
        Map<String, String> env = new TreeMap<>();
        for (String name : List.of("OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")) {
            env.put(name, System.getenv(name));
        }
        return new FrameBench(cpuModel(), Runtime.getRuntime().availableProcessors(), env, backend, sgemm,
                List.copyOf(timings));
    }

    private static Timing time(SmtConfig preset, int warmUp, int frames) {
        SmtConfig config = preset.with(Map.of("tolerance", "0", "embeddingWarmup", "2"));
        int length = config.patchDim() * config.patchesPerFrame();
        SplittableRandom random = new SplittableRandom(1);
        float[][] clip = new float[8][length];
        for (float[] frame : clip) {
            for (int k = 0; k < length; k++) {
                frame[k] = (float) ((2 * random.nextDouble() - 1) * 1.7);   // unit variance, like whitened pixels
            }
        }
        OnlineSmtLearner learner = new OnlineSmtLearner(config, null, 50);
        FrameInference inference = new FrameInference(config);
        LayerModel model = LayerModel.initial(config);
        long[] infer = new long[frames];
        long[] learn = new long[frames];
        float[] previous = null;
        float[] beforePrevious = null;
        for (int t = 0; t < warmUp + frames; t++) {
            float[] x = clip[t % clip.length];
            long start = System.nanoTime();
            FrameInference.Result r = inference.infer(model, x, previous, beforePrevious, false);
            long middle = System.nanoTime();
            learner.learn("bench", t, x, r.codes());
            long end = System.nanoTime();
            beforePrevious = previous;
            previous = r.codes();
            if (t == warmUp - 1) {           // from here on, inference codes with a P, as it does live
                learner.refreshConstraint();
                model = LayerModel.of(learner.snapshot(1, ModelInfo.fresh(System.currentTimeMillis())));
            } else if (t >= warmUp) {
                infer[t - warmUp] = middle - start;
                learn[t - warmUp] = end - middle;
            }
        }
        Arrays.sort(infer);
        Arrays.sort(learn);
        double inferMs = infer[frames / 2] / 1e6;
        double learnMs = learn[frames / 2] / 1e6;
        return new Timing(config.name(), inferMs, infer[Math.min(frames - 1, frames * 9 / 10)] / 1e6, learnMs,
                1000 / (inferMs + learnMs), gemmPairsMs(config), frames);
    }

    /** Median time of maxIterations pairs Phi Z, Phi^T R at the preset's size. */
    private static double gemmPairsMs(SmtConfig config) {
        INDArray phi = Dictionary.random(config.patchDim(), config.dictionarySize(), 2).phi();
        INDArray z = Nd4j.rand(DataType.FLOAT, config.dictionarySize(), config.patchesPerFrame()).dup('f');
        INDArray r = Nd4j.createUninitialized(DataType.FLOAT,
                new long[] {config.patchDim(), config.patchesPerFrame()}, 'f');
        INDArray g = Nd4j.createUninitialized(DataType.FLOAT, new long[] {config.dictionarySize(),
            config.patchesPerFrame()}, 'f');
        long[] nanos = new long[9];
        for (int rep = 0; rep < nanos.length; rep++) {
            long start = System.nanoTime();
            for (int k = 0; k < config.maxIterations(); k++) {
                Nd4j.gemm(phi, z, r, false, false, 1.0, 0.0);
                Nd4j.gemm(phi, r, g, true, false, 1.0, 0.0);
            }
            nanos[rep] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2] / 1e6;
    }

    private static double sgemmGflops(int size) {
        INDArray a = Nd4j.rand(DataType.FLOAT, size, size).dup('f');
        INDArray b = Nd4j.rand(DataType.FLOAT, size, size).dup('f');
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, new long[] {size, size}, 'f');
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 10; rep++) {
            long start = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            best = Math.min(best, System.nanoTime() - start);
        }
        return 2.0 * size * size * size / best;
    }

    private static String cpuModel() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return System.getProperty("os.arch");
        }
        return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }

    /** A Markdown table of the timings with the references above it. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "CPU %s, %d cores; %s; SGEMM 1024^3: %.1f "
                + "GFLOP/s; environment %s%n%n", cpu, cores, backend, sgemmGflops, environment));
        md.append("| preset | inference ms (p50 / p90) | learner ms (p50) | frames/s (one instance, both) | bare GEMM "
                + "pairs ms | GEMM share of inference |\n|---|---:|---:|---:|---:|---:|\n");
        for (Timing t : presets) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f / %.1f | %.1f | %.1f | %.1f | %.0f %% |%n", t.preset(),
                    t.inferMedianMs(), t.inferP90Ms(), t.learnMedianMs(), t.framesPerSecond(), t.gemmFloorMs(),
                    100 * t.gemmFloorMs() / t.inferMedianMs()));
        }
        return md.toString();
    }

    /** The same as JSON: this record's components, with every timing's. */
    public String toJson() {
        return Json.writePretty(this);
    }

    /** Writes {@value #JSON_FILE} and {@value #MARKDOWN_FILE} into {@code dir} (created if needed); returns them. */
    public List<Path> writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        return List.of(Files.writeString(dir.resolve(JSON_FILE), toJson()),
                Files.writeString(dir.resolve(MARKDOWN_FILE), toMarkdown()));
    }
}
