package org.smtstream.processor.offline.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.coding.SparseCoder;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.offline.Clip;

/**
 * Two SMT layers stacked (thesis section 3.3, "Hierarchical composition", figure 3.7): layer 2 is an
 * SMT layer of its own whose input at one location is the betas of a 2 x 2 block of neighbouring
 * layer-1 locations, concatenated (top-left, top-right, bottom-left, bottom-right; n2 = 4 f1), one
 * layer-2 location per block. Training is layer by layer: layer 1 first, then layer 2 on the pooled
 * betas of the same frames, with the same online learner ({@link OfflineTrainer}). Layer-1 codes
 * here are plain positive sparse codes from zero, as in {@link ClipEvaluation}.
 *
 * <p>Reconstruction from layer 2 (figure 3.7D): x_rec = Phi1 g1(unpool(Phi2 alpha2)), i.e. the
 * layer-2 code gives back the block's four betas, whose inverse gives back layer-1 codes and patches.
 * The rows of P1 have unit second moment (P V P^T = I), so the pooled betas are on the scale of
 * whitened pixels and layer 2 uses layer 1's lambda.
 *
 * <p>Needs non-overlapping layer-1 patches on an even grid and 4 f1 a square (fast: f1 = 64, so
 * layer-2 "patches" are 16 x 16 = 256 values; 8 x 8 layer-1 locations give 4 x 4 layer-2 ones).
 */
public final class TwoLayerSmt {

    private TwoLayerSmt() {
    }

    /** Layer 2's configuration: layer 1's with the pooled geometry (N and f as layer 1's). */
    public static SmtConfig layer2Config(SmtConfig layer1) {
        int side = layer1.patchesPerSide();
        int n2 = 4 * layer1.embeddingDim();
        int p2 = (int) Math.round(Math.sqrt(n2));
        if (side % 2 != 0 || layer1.stride() < layer1.patchSize() || p2 * p2 != n2) {
            throw new IllegalArgumentException("A second layer needs non-overlapping layer-1 patches on an even grid "
                    + "and 4 f a square; got a " + side + " x " + side + " grid, stride " + layer1.stride()
                    + ", patch " + layer1.patchSize() + ", f = " + layer1.embeddingDim());
        }
        return layer1.with(Map.of("frameSize", Integer.toString(side / 2 * p2), "patchSize", Integer.toString(p2),
                "stride", Integer.toString(p2)));
    }

    /**
     * The layer-2 input of every frame: layer-1 codes (plain coding under Phi1), beta1 = P1 alpha1,
     * pooled over 2 x 2 blocks.
     */
    public static Clip layer2Clip(Clip clip, LayerModel layer1, SmtConfig config1) {
        SparseCoder coder = SparseCoder.of(config1);
        int locations = config1.patchesPerFrame();
        int f = layer1.embedding().dimension();
        INDArray codes = Nd4j.create(DataType.FLOAT, new long[] {config1.dictionarySize(), locations}, 'f');
        INDArray beta = Nd4j.create(DataType.FLOAT, new long[] {f, locations}, 'f');
        List<float[]> frames = new ArrayList<>();
        for (float[] frame : clip.frames()) {
            INDArray x = Nd4j.create(frame, new long[] {config1.patchDim(), locations}, 'f');
            codes.assign(0);
            coder.encode(layer1.dictionary(), x, codes, false);
            layer1.embedding().embed(codes, beta);
            frames.add(pool(beta.data().asFloat(), config1.patchesPerSide(), f));
        }
        return new Clip(clip.name() + " (layer 2)", frames);
    }

    /**
     * Pools location-major betas (location b's f values at b f) of a side x side grid into 2 x 2
     * blocks: block (by, bx) at (by side/2 + bx) 4f, its four betas in reading order.
     */
    static float[] pool(float[] beta, int side, int f) {
        float[] out = new float[beta.length];
        int[] locations = blockOrder(side);
        for (int slot = 0; slot < locations.length; slot++) {
            System.arraycopy(beta, locations[slot] * f, out, slot * f, f);
        }
        return out;
    }

    /** The inverse of {@link #pool}. */
    static float[] unpool(float[] pooled, int side, int f) {
        float[] out = new float[pooled.length];
        int[] locations = blockOrder(side);
        for (int slot = 0; slot < locations.length; slot++) {
            System.arraycopy(pooled, slot * f, out, locations[slot] * f, f);
        }
        return out;
    }

    /**
     * The location at each slot of the pooled order: slot (by side/2 + bx) 4 + q holds quadrant q of block (by, bx).
     */
    private static int[] blockOrder(int side) {
        int half = side / 2;
        int[] locations = new int[4 * half * half];
        for (int by = 0; by < half; by++) {
            for (int bx = 0; bx < half; bx++) {
                for (int q = 0; q < 4; q++) {
                    locations[(by * half + bx) * 4 + q] = (2 * by + q / 2) * side + 2 * bx + q % 2;
                }
            }
        }
        return locations;
    }

    /**
     * Reconstructions of frames from each stage, patch-major like the input.
     *
     * @param fromAlpha1 Phi1 alpha1 per frame
     * @param fromBeta1  Phi1 g1(beta1)
     * @param fromAlpha2 Phi1 g1(unpool(Phi2 alpha2))
     * @param snrAlpha1Db SNR of each against the whitened patches, pooled over the frames
     * @param snrBeta1Db  ...
     * @param snrAlpha2Db ...
     * @param activeFraction2 non-zero fraction of alpha2
     */
    public record Reconstruction(List<float[]> fromAlpha1, List<float[]> fromBeta1, List<float[]> fromAlpha2,
                                 double snrAlpha1Db, double snrBeta1Db, double snrAlpha2Db, double activeFraction2) {
    }

    /** Reconstructs {@code clip}'s frames from layer 1 and from layer 2 (plain codes at both layers). */
    public static Reconstruction reconstruct(Clip clip, LayerModel layer1, SmtConfig config1, LayerModel layer2,
                                             SmtConfig config2) {
        EmbeddingInverse inverse = EmbeddingInverse.of(config1,
                StraighteningProtocol.Options.defaults().inverseTolerance());
        SparseCoder coder1 = SparseCoder.of(config1);
        SparseCoder coder2 = SparseCoder.of(config2);
        int locations = config1.patchesPerFrame();
        int side = config1.patchesPerSide();
        int f = layer1.embedding().dimension();
        int n = config1.patchDim();
        INDArray a1 = Nd4j.create(DataType.FLOAT, new long[] {config1.dictionarySize(), locations}, 'f');
        INDArray beta = Nd4j.create(DataType.FLOAT, new long[] {f, locations}, 'f');
        INDArray g = Nd4j.create(DataType.FLOAT, new long[] {config1.dictionarySize(), locations}, 'f');
        INDArray a2 = Nd4j.create(DataType.FLOAT,
                new long[] {config2.dictionarySize(), config2.patchesPerFrame()}, 'f');
        INDArray x2rec = Nd4j.create(DataType.FLOAT, new long[] {config2.patchDim(), config2.patchesPerFrame()}, 'f');
        INDArray rec = Nd4j.create(DataType.FLOAT, new long[] {n, locations}, 'f');
        List<float[]> r1 = new ArrayList<>();
        List<float[]> rb = new ArrayList<>();
        List<float[]> r2 = new ArrayList<>();
        double signal = 0;
        double[] error = new double[3];
        double active2 = 0;
        for (float[] frame : clip.frames()) {
            INDArray x = Nd4j.create(frame, new long[] {n, locations}, 'f');
            a1.assign(0);
            coder1.encode(layer1.dictionary(), x, a1, false);
            signal += Metrics.squaredError(x, null);
            r1.add(Metrics.reconstruct(layer1.dictionary().phi(), a1, rec).data().asFloat());
            error[0] += Metrics.squaredError(x, rec);
            layer1.embedding().embed(a1, beta);
            inverse.invert(layer1.embedding(), beta, g, false);
            rb.add(Metrics.reconstruct(layer1.dictionary().phi(), g, rec).data().asFloat());
            error[1] += Metrics.squaredError(x, rec);
            INDArray x2 = Nd4j.create(pool(beta.data().asFloat(), side, f),
                    new long[] {config2.patchDim(), config2.patchesPerFrame()}, 'f');
            a2.assign(0);
            coder2.encode(layer2.dictionary(), x2, a2, false);
            active2 += Metrics.activeFraction(a2) / clip.size();
            Metrics.reconstruct(layer2.dictionary().phi(), a2, x2rec);
            INDArray betaRec = Nd4j.create(unpool(x2rec.data().asFloat(), side, f), new long[] {f, locations}, 'f');
            inverse.invert(layer1.embedding(), betaRec, g, false);
            r2.add(Metrics.reconstruct(layer1.dictionary().phi(), g, rec).data().asFloat());
            error[2] += Metrics.squaredError(x, rec);
        }
        return new Reconstruction(r1, rb, r2, Metrics.snrDb(signal, error[0]), Metrics.snrDb(signal, error[1]),
                Metrics.snrDb(signal, error[2]), active2);
    }
}
