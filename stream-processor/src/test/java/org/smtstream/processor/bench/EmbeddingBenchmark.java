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
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.embedding.AnalyticEmbedding;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.embedding.ManifoldInference;
import org.smtstream.processor.math.embedding.OnlineEmbedding;
import org.smtstream.processor.math.embedding.RunningMoments;
import org.smtstream.processor.math.embedding.SecondDifference;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * The embedding half of the SMT, one frame's batch per operation, for both presets: an online SGD
 * step of P (appendix A.1), the inverse g(beta) (eq. 3.1) and manifold-regularized inference
 * (eq. 3.4), each at the preset's iteration cap; and the learner's periodic exact solve of eq. 3.3
 * on N x N moments (two N x N eigen-decompositions). Codes are synthetic, non-negative and about 5 %
 * active, like learned codes of whitened video.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EmbeddingBenchmark {

    private static final double ACTIVE = 0.05;

    @Param({"fast", "seed"})
    public String preset;

    private OnlineEmbedding online;
    private INDArray differences;
    private Embedding embedding;
    private EmbeddingInverse inverse;
    private ManifoldInference inference;
    private Dictionary dictionary;
    private INDArray beta;
    private INDArray x;
    private INDArray prediction;
    private INDArray codes;
    private INDArray secondMoment;
    private INDArray differenceMoment;
    private int dimension;

    @Setup
    public void setUp() {
        Nd4jRuntime.useFloatByDefault();
        SmtConfig config = SmtConfig.preset(preset).with(Map.of("tolerance", "0", "gamma0", "1"));
        int atoms = config.dictionarySize();
        int batch = config.patchesPerFrame();
        SplittableRandom random = new SplittableRandom(3);
        INDArray[] frames = new INDArray[3];
        RunningMoments moments = RunningMoments.exact(atoms);
        for (int i = 0; i < 40; i++) {
            INDArray a = sparseCodes(atoms, batch, random);
            moments.update(a);
            frames[i % 3] = a;
        }
        INDArray v = moments.secondMoment();
        RunningMoments s = RunningMoments.exact(atoms);
        for (int i = 0; i < 40; i++) {
            s.update(SecondDifference.of(sparseCodes(atoms, batch, random), sparseCodes(atoms, batch, random),
                    sparseCodes(atoms, batch, random), Nd4j.create(DataType.FLOAT, new long[] {atoms, batch}, 'f')));
        }
        secondMoment = v;
        differenceMoment = s.secondMoment();
        dimension = config.embeddingDim();
        online = new OnlineEmbedding(OnlineEmbedding.randomFeasible(config.embeddingDim(), v, 1e-3, 4), v,
                new OnlineEmbedding.Options(1.0, 0.0, 1e-3, 1e-3));
        differences = SecondDifference.of(frames[0], frames[1], frames[2],
                Nd4j.create(DataType.FLOAT, new long[] {atoms, batch}, 'f'));
        embedding = online.toEmbedding();
        dictionary = Dictionary.random(config.patchDim(), atoms, 5);
        inverse = new EmbeddingInverse(config.lambda(), config.solver(), config.maxIterations(), 0);
        inference = ManifoldInference.of(config);
        beta = embedding.embed(frames[2], Nd4j.create(DataType.FLOAT, new long[] {config.embeddingDim(), batch}, 'f'));
        x = Nd4j.create(SparseCodingBenchmark.whitenedLikePatches(config.patchDim() * batch, 6),
                new long[] {config.patchDim(), batch}, 'f');
        prediction = frames[1].mul(2).subi(frames[0]);
        codes = Nd4j.create(DataType.FLOAT, new long[] {atoms, batch}, 'f');
    }

    private static INDArray sparseCodes(int atoms, int batch, SplittableRandom random) {
        float[] values = new float[atoms * batch];
        for (int k = 0; k < values.length; k++) {
            values[k] = random.nextDouble() < ACTIVE ? (float) random.nextDouble(0.1, 2.0) : 0f;
        }
        return Nd4j.create(values, new long[] {atoms, batch}, 'f');
    }

    @Benchmark
    public Object embeddingSgdStep() {
        return online.step(differences, null);
    }

    @Benchmark
    public INDArray analyticRefit() {
        return AnalyticEmbedding.fit(secondMoment, differenceMoment, dimension,
                new AnalyticEmbedding.Options(1e-4, 0)).p();
    }

    @Benchmark
    public INDArray inverseOfBeta() {
        return inverse.invert(embedding, beta, codes, false).codes();
    }

    @Benchmark
    public INDArray manifoldInference() {
        return inference.infer(dictionary, embedding, x, prediction, codes).codes();
    }
}
