package org.smtstream.processor.bench;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.coding.ActiveSetCoder;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * One frame of batched positive FISTA (all patches of a frame, a fixed number of iterations) per
 * operation, for both presets: the ND4J coder against {@link PlainFista} on the same data, and the
 * working-set solver ({@link ActiveSetCoder}, tolerance 0) for the same number of inner iterations,
 * whose cost per iteration it shows (random patches use every atom, so its working set is the whole
 * dictionary). {@link #flopsPerOp} counts the two GEMMs per FISTA iteration, 4 n N B flops, which
 * dominate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SparseCodingBenchmark {

    /** Fixed so both implementations do the same work; real frames run to the preset's cap. */
    static final int ITERATIONS = 20;

    @Param({"fast", "seed"})
    public String preset;

    private SparseCoder coder;
    private ActiveSetCoder activeSetCoder;
    private Dictionary dictionary;
    private INDArray x;
    private INDArray codes;
    private float[] phiPlain;
    private float[] xPlain;
    private double lipschitz;
    private SmtConfig config;

    @Setup
    public void setUp() {
        Nd4jRuntime.useFloatByDefault();
        config = SmtConfig.preset(preset).with(Map.of("tolerance", "0", "maxIterations", Integer.toString(ITERATIONS)));
        int n = config.patchDim();
        int batch = config.patchesPerFrame();
        dictionary = Dictionary.random(n, config.dictionarySize(), 1);
        coder = new SparseCoder(config.lambda(), Solver.FISTA, ITERATIONS, 0);
        activeSetCoder = new ActiveSetCoder(config.lambda(), ITERATIONS, 0);
        lipschitz = coder.lipschitz(dictionary);
        xPlain = whitenedLikePatches(n * batch, 2);
        x = Nd4j.create(xPlain, new long[] {n, batch}, 'f');
        codes = Nd4j.create(DataType.FLOAT, new long[] {config.dictionarySize(), batch}, 'f');
        phiPlain = dictionary.phi().dup('f').data().asFloat();
    }

    @Benchmark
    public INDArray nd4jFista() {
        return coder.encode(dictionary, x, codes, false).codes();
    }

    @Benchmark
    public INDArray activeSet() {
        return activeSetCoder.encode(dictionary, x, codes, false).codes();
    }

    @Benchmark
    public float[] plainFista() {
        return PlainFista.encode(phiPlain, config.patchDim(), config.dictionarySize(), xPlain,
                config.patchesPerFrame(), config.lambda(), lipschitz, ITERATIONS);
    }

    /** Unit-variance values, as whitened pixels are. */
    static float[] whitenedLikePatches(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) ((2 * random.nextDouble() - 1) * Math.sqrt(3));
        }
        return v;
    }

    static double flopsPerOp(String preset) {
        SmtConfig c = SmtConfig.preset(preset);
        return 4.0 * c.patchDim() * c.dictionarySize() * c.patchesPerFrame() * ITERATIONS;
    }
}
