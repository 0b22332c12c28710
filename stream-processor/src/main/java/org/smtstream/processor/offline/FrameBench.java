package org.smtstream.processor.offline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.Json;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.model.SmtModel;
import org.smtstream.processor.layer.FrameInference;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.layer.OnlineSmtLearner;
import org.smtstream.processor.layer.Trajectory;
import org.smtstream.processor.math.coding.SparseCodingResult;
import org.smtstream.processor.math.embedding.ManifoldInference;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * Times the sparse coders of the processor's per-frame inference (eq. 3.4 with a learned P) on real
 * frames with a trained model, in temporal order, beside same-run references
 * (stream-processor/BENCHMARKS.md, "smt bench"): the machine's SGEMM rate (1024^3) and, for every
 * coder, the quality it reached: the relative objective gap to the converged solution, its duality
 * gap where it computes one, the SNR of Phi alpha and the active fraction.
 *
 * <p>Four coders solve the same problem per frame: dense FISTA to the iteration cap from 0 ("cold")
 * and from the same location's previous code ("warm"), and the working-set solver (ACTIVE_SET) from
 * each, stopping on the preset's duality-gap tolerance. So that they do solve the same problem, the
 * history alpha_{t-1}, alpha_{t-2} behind the prediction a~ = 2 alpha_{t-1} - alpha_{t-2} is the
 * converged solution of the two frames before (the working-set solver run to a tight gap, warm
 * started from the best coder's result), which is also the optimum the gaps are measured against.
 * Warm-up frames first, then the median and 90th percentile of the measured ones. Not JMH (that suite
 * is in the test sources); every figure comes with the same run's references.
 *
 * @param cpu         CPU model
 * @param cores       available processors
 * @param environment OMP_WAIT_POLICY, OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE as set (null when unset)
 * @param backend     the ND4J backend line
 * @param sgemmGflops 1024^3 SGEMM, best of 10
 * @param presets     one result per preset
 */
public record FrameBench(String cpu, int cores, Map<String, String> environment, String backend, double sgemmGflops,
                         List<PresetResult> presets) {

    public static final String JSON_FILE = "bench.json";
    public static final String MARKDOWN_FILE = "bench.md";
    /** The converged reference: a relative duality gap far below any coder's, within float precision. */
    private static final double REFERENCE_TOLERANCE = 1e-5;
    /** As the processor's default (ProcessorOptions): dictionary steps before an idle atom is re-seeded. */
    private static final int DEAD_ATOM_WINDOW = 200;
    /** The reference's iteration cap, in multiples of the preset's: ends well below the coders' gaps. */
    private static final int REFERENCE_ROUNDS = 4;

    /**
     * One preset on one clip.
     *
     * @param preset       name
     * @param clip         what the frames were read from
     * @param model        where the model came from (trained here on how many frames, or loaded)
     * @param firstFrame   index of the first measured frame in the clip
     * @param frames       measured frames
     * @param tolerance    the preset's tolerance (relative duality gap of ACTIVE_SET)
     * @param maxIterations the preset's iteration cap
     * @param coders       one result per coder
     * @param frameWork    the whole per-frame work of one processor instance on the same frames
     */
    public record PresetResult(String preset, String clip, String model, int firstFrame, int frames, double tolerance,
                               int maxIterations, List<CoderResult> coders, FrameWork frameWork) {
    }

    /**
     * What one frame costs live, on the same frames: {@link FrameInference} with the preset's coder,
     * warm-started from its own previous output as it is in the processor, then
     * {@link OnlineSmtLearner#learn} on the codes it produced.
     *
     * @param inferMedianMs   inference per frame, median
     * @param inferP90Ms      90th percentile
     * @param learnMedianMs   learner per frame, median
     * @param learnMeanMs     learner per frame, mean (a refit of P falls into it when one is due)
     * @param framesPerSecond 1000 / (inference median + learner mean): one instance doing both
     * @param snrDb           SNR of Phi alpha of inference's codes, pooled
     * @param activeFraction  non-zero fraction of inference's codes, mean
     * @param refits          refits of P (eq. 3.3) among the measured frames
     */
    public record FrameWork(double inferMedianMs, double inferP90Ms, double learnMedianMs, double learnMeanMs,
                            double framesPerSecond, double snrDb, double activeFraction, long refits) {
    }

    /**
     * One coder over the measured frames.
     *
     * @param coder              name
     * @param medianMs           per frame, median
     * @param p90Ms              90th percentile
     * @param framesPerSecond    1000 / median
     * @param medianObjectiveGap (objective - optimum) / optimum per frame, median
     * @param medianDualityGap   the duality gap the coder reported relative to its objective, median; NaN
     *                           for coders that compute none
     * @param snrDb              SNR of Phi alpha, pooled over the frames
     * @param activeFraction     non-zero fraction of alpha, mean
     * @param meanIterations     iterations per frame, mean
     */
    public record CoderResult(String coder, double medianMs, double p90Ms, double framesPerSecond,
                              double medianObjectiveGap, double medianDualityGap, double snrDb, double activeFraction,
                              double meanIterations) {
    }

    /** A preset, its clip and its trained model, ready to be measured from frame {@code firstFrame}. */
    public record Setup(SmtConfig config, Clip clip, SmtModel model, String modelDescription, int firstFrame) {
    }

    /** The coders compared, each solving eq. 3.4 of every measured frame. */
    private enum Coder {
        FISTA_COLD("FISTA to the cap, cold", Solver.FISTA, false),
        FISTA_WARM("FISTA to the cap, warm", Solver.FISTA, true),
        ACTIVE_SET_COLD("working set, cold", Solver.ACTIVE_SET, false),
        ACTIVE_SET_WARM("working set, warm", Solver.ACTIVE_SET, true);

        private final String label;
        private final Solver solver;
        private final boolean warm;

        Coder(String label, Solver solver, boolean warm) {
            this.label = label;
            this.solver = solver;
            this.warm = warm;
        }

        ManifoldInference inference(SmtConfig config) {
            double tolerance = solver == Solver.FISTA ? 0 : config.tolerance();
            return new ManifoldInference(config.lambda(), config.gamma0(), solver, config.maxIterations(), tolerance);
        }
    }

    /**
     * Measures every setup: {@code warmUp} frames, then {@code frames} measured ones.
     */
    public static FrameBench run(List<Setup> setups, int warmUp, int frames) throws IOException {
        Nd4jRuntime.useFloatByDefault();
        String backend = Nd4jRuntime.logBackend().message();
        double sgemm = sgemmGflops(1024);
        List<PresetResult> results = new ArrayList<>();
        for (Setup setup : setups) {
            results.add(measure(setup, warmUp, frames));
        }
        Map<String, String> env = new TreeMap<>();
        for (String name : List.of("OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")) {
            env.put(name, System.getenv(name));
        }
        return new FrameBench(cpuModel(), Runtime.getRuntime().availableProcessors(), env, backend, sgemm,
                List.copyOf(results));
    }

    private static PresetResult measure(Setup setup, int warmUp, int frames) {
        SmtConfig config = setup.config();
        LayerModel model = LayerModel.of(setup.model());
        if (model.embedding() == null) {
            throw new IllegalArgumentException("The model has no embedding P yet: train it on more than "
                    + config.embeddingWarmup() + " frames");
        }
        int first = setup.firstFrame();
        int needed = first + warmUp + frames;
        if (first < 2 || needed > setup.clip().size()) {
            throw new IllegalArgumentException(setup.clip().name() + " has " + setup.clip().size() + " frames; the "
                    + "bench needs two frames of history before frame " + first + " and " + (warmUp + frames)
                    + " after");
        }
        int n = config.patchDim();
        int batch = config.patchesPerFrame();
        int atoms = config.dictionarySize();
        Coder[] coders = Coder.values();
        ManifoldInference[] inference = Arrays.stream(coders).map(c -> c.inference(config))
                .toArray(ManifoldInference[]::new);
        ManifoldInference reference = new ManifoldInference(config.lambda(), config.gamma0(), Solver.ACTIVE_SET,
                REFERENCE_ROUNDS * config.maxIterations(), REFERENCE_TOLERANCE);
        Tally[] tallies = Arrays.stream(coders).map(c -> new Tally(frames)).toArray(Tally[]::new);
        INDArray previous = optimum(reference, model, frame(setup.clip(), first - 2, n, batch), null, atoms, null);
        INDArray current = optimum(reference, model, frame(setup.clip(), first - 1, n, batch), null, atoms, previous);
        INDArray reconstruction = Nd4j.create(DataType.FLOAT, new long[] {n, batch}, 'f');
        for (int t = first; t < needed; t++) {
            INDArray x = frame(setup.clip(), t, n, batch);
            INDArray prediction = current.mul(2).subi(previous).dup('f');
            INDArray[] codes = new INDArray[coders.length];
            SparseCodingResult[] solved = new SparseCodingResult[coders.length];
            long[] nanos = new long[coders.length];
            for (int c = 0; c < coders.length; c++) {
                codes[c] = coders[c].warm ? current.dup('f')
                        : Nd4j.create(DataType.FLOAT, new long[] {atoms, batch}, 'f');
                long start = System.nanoTime();
                solved[c] = inference[c].solve(model.dictionary(), model.embedding(), x, prediction, codes[c],
                        coders[c].warm);
                nanos[c] = System.nanoTime() - start;
            }
            double[] objective = new double[coders.length];
            int best = 0;
            for (int c = 0; c < coders.length; c++) {
                objective[c] = reference.objective(model.dictionary(), model.embedding(), x, prediction, codes[c]);
                best = objective[c] < objective[best] ? c : best;
            }
            INDArray optimal = codes[best].dup('f');
            reference.solve(model.dictionary(), model.embedding(), x, prediction, optimal, true);
            double optimum = Math.min(objective[best],
                    reference.objective(model.dictionary(), model.embedding(), x, prediction, optimal));
            if (t >= first + warmUp) {
                for (int c = 0; c < coders.length; c++) {
                    Metrics.reconstruct(model.dictionary().phi(), codes[c], reconstruction);
                    tallies[c].add(nanos[c], (objective[c] - optimum) / optimum,
                            solved[c].dualityGap() / solved[c].objective(), Metrics.squaredError(x, null),
                            Metrics.squaredError(x, reconstruction), Metrics.activeFraction(codes[c]),
                            solved[c].iterations());
                }
            }
            previous = current;
            current = optimal;
        }
        List<CoderResult> results = new ArrayList<>();
        for (int c = 0; c < coders.length; c++) {
            results.add(tallies[c].result(coders[c].label));
        }
        return new PresetResult(config.name(), setup.clip().name(), setup.modelDescription(), first + warmUp, frames,
                config.tolerance(), config.maxIterations(), List.copyOf(results),
                frameWork(setup, model, warmUp, frames));
    }

    /** Inference as the processor runs it, then the learner on its codes, frame after frame. */
    private static FrameWork frameWork(Setup setup, LayerModel model, int warmUp, int frames) {
        SmtConfig config = setup.config();
        FrameInference inference = new FrameInference(config);
        OnlineSmtLearner learner = new OnlineSmtLearner(config, setup.model(), DEAD_ATOM_WINDOW);
        long refitsBefore = 0;
        long[] infer = new long[frames];
        long[] learn = new long[frames];
        double signal = 0;
        double error = 0;
        double active = 0;
        Trajectory trajectory = new Trajectory();
        int first = setup.firstFrame();
        for (int t = first - 2; t < first + warmUp + frames; t++) {
            float[] x = setup.clip().frames().get(t);
            if (t == first + warmUp) {
                refitsBefore = learner.refits();
            }
            long start = System.nanoTime();
            FrameInference.Result r = inference.infer(model, x, trajectory.previous(), trajectory.beforePrevious(),
                    false);
            long middle = System.nanoTime();
            learner.learn("bench", t, x, r.codes());
            long end = System.nanoTime();
            trajectory.advance(r);
            int k = t - first - warmUp;
            if (k >= 0) {
                infer[k] = middle - start;
                learn[k] = end - middle;
                INDArray patches = frame(setup.clip(), t, config.patchDim(), config.patchesPerFrame());
                signal += Metrics.squaredError(patches, null);
                error += Metrics.squaredError(patches, Nd4j.create(r.reconstruction(), patches.shape(), 'f'));
                active += r.activeFraction();
            }
        }
        double learnMean = Arrays.stream(learn).average().orElseThrow() / 1e6;
        Arrays.sort(infer);
        Arrays.sort(learn);
        double inferMedian = infer[frames / 2] / 1e6;
        return new FrameWork(inferMedian, infer[Math.min(frames - 1, frames * 9 / 10)] / 1e6, learn[frames / 2] / 1e6,
                learnMean, 1000 / (inferMedian + learnMean), Metrics.snrDb(signal, error), active / frames,
                learner.refits() - refitsBefore);
    }

    /** The converged codes of one frame of plain coding (eq. 2.4), warm-started from {@code start}. */
    private static INDArray optimum(ManifoldInference reference, LayerModel model, INDArray x, INDArray prediction,
                                    int atoms, INDArray start) {
        INDArray codes = start == null ? Nd4j.create(DataType.FLOAT, new long[] {atoms, x.columns()}, 'f')
                : start.dup('f');
        reference.solve(model.dictionary(), model.embedding(), x, prediction, codes, start != null);
        return codes;
    }

    private static INDArray frame(Clip clip, int t, int n, int batch) {
        return Nd4j.create(clip.frames().get(t), new long[] {n, batch}, 'f');
    }

    /** Per-frame figures of one coder. */
    private static final class Tally {
        private final long[] nanos;
        private final double[] objectiveGaps;
        private final double[] dualityGaps;
        private double signal;
        private double error;
        private double active;
        private long iterations;
        private int count;

        Tally(int frames) {
            nanos = new long[frames];
            objectiveGaps = new double[frames];
            dualityGaps = new double[frames];
        }

        void add(long time, double objectiveGap, double dualityGap, double signalEnergy, double errorEnergy,
                 double activeFraction, int iterationCount) {
            nanos[count] = time;
            objectiveGaps[count] = objectiveGap;
            dualityGaps[count] = dualityGap;
            signal += signalEnergy;
            error += errorEnergy;
            active += activeFraction;
            iterations += iterationCount;
            count++;
        }

        CoderResult result(String label) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            double median = sorted[count / 2] / 1e6;
            return new CoderResult(label, median, sorted[Math.min(count - 1, count * 9 / 10)] / 1e6, 1000 / median,
                    median(objectiveGaps), median(dualityGaps), Metrics.snrDb(signal, error), active / count,
                    (double) iterations / count);
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
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

    /** Markdown tables of the results with the references above them. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "CPU %s, %d cores; %s; SGEMM 1024^3: %.1f "
                + "GFLOP/s; environment %s%n", cpu, cores, backend, sgemmGflops, environment));
        for (PresetResult p : presets) {
            md.append(String.format(Locale.ROOT, "%n%s: eq. 3.4 on %d frames of %s from frame %d; model %s; cap %d "
                    + "iterations, ACTIVE_SET tolerance %.2g (relative duality gap)%n%n", p.preset(), p.frames(),
                    p.clip(),
                    p.firstFrame(), p.model(), p.maxIterations(), p.tolerance()));
            md.append("| coder | ms/frame (p50 / p90) | frames/s | objective gap (median) | duality gap (median) "
                    + "| SNR of Phi alpha | active | iterations |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (CoderResult c : p.coders()) {
                md.append(String.format(Locale.ROOT,
                        "| %s | %.1f / %.1f | %.1f | %.1e | %s | %.2f dB | %.1f %% | %.1f |%n",
                        c.coder(), c.medianMs(), c.p90Ms(), c.framesPerSecond(), c.medianObjectiveGap(),
                        Double.isNaN(c.medianDualityGap()) ? "-" : String.format(Locale.ROOT, "%.1e",
                                c.medianDualityGap()), c.snrDb(), 100 * c.activeFraction(), c.meanIterations()));
            }
            FrameWork w = p.frameWork();
            md.append(String.format(Locale.ROOT, "%nPer frame as the processor runs it (inference with the preset's "
                    + "coder, then the learner on its codes):%n%n| inference ms (p50 / p90) | learner ms (p50 / mean) "
                    + "| refits of P | frames/s (one instance, both) | SNR of Phi alpha | active |%n"
                    + "|---:|---:|---:|---:|---:|---:|%n"
                    + "| %.1f / %.1f | %.1f / %.1f | %d | %.1f | %.2f dB | %.1f %% |%n",
                    w.inferMedianMs(), w.inferP90Ms(), w.learnMedianMs(), w.learnMeanMs(), w.refits(),
                    w.framesPerSecond(), w.snrDb(), 100 * w.activeFraction()));
        }
        return md.toString();
    }

    /** The same as JSON: this record's components, with every result's. */
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
