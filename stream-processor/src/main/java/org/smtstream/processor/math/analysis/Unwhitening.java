package org.smtstream.processor.math.analysis;

import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.FourierMask;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.math.linalg.FrequencyFilter;
import org.smtstream.processor.math.linalg.Metrics;

/**
 * The unwhitening C of the thesis's x = C Phi g(beta) (ARCHITECTURE.md, "The math") for frames that
 * ingest whitened with the Fourier mask alone ({@link FourierMask}, preprocessing label
 * {@value FourierMask#PREPROCESSING_LABEL}): the patches of a frame are put back into the S x S frame
 * ({@link PatchGeometry#assemble}) and filtered by the mask's Wiener inverse
 * ({@link FourierMask#inverseGains()}). The whitening is one circular convolution over the whole
 * frame, so a patch on its own does not determine its image-space
 * pixels and there is no exact per-patch C; the frame is the unit.
 *
 * <p>What comes back is the image with its mean removed (the mask's w(0) = 0) and in the units of
 * ingest's unit-deviation scaling, so its contrast is relative: pictures are display-scaled, and an
 * SNR in image space ({@link #snrDb}) compares C x with C x^, both through the same C. Pixels no patch
 * covers (when the stride does not divide S - p, the seed preset's 8-pixel border) enter as 0.
 * Frames whitened otherwise (ZCA, fitted in ingest and never sent; local contrast normalization,
 * which divides by the frame's own contrast) have no C here: {@link #appliesTo} says so.
 *
 * <p>Not thread-safe (ARCHITECTURE.md, trap T2).
 */
public final class Unwhitening {

    private final PatchGeometry geometry;
    private final FrequencyFilter filter;

    private Unwhitening(PatchGeometry geometry, FrequencyFilter filter) {
        this.geometry = geometry;
        this.filter = filter;
    }

    /** The inverse of the mask a configuration whitens with, for its patch geometry. */
    public static Unwhitening of(SmtConfig config) {
        FourierMask mask = FourierMask.of(config);
        return new Unwhitening(config.geometry(), new FrequencyFilter(mask.size(), mask.inverseGains()));
    }

    /**
     * True when frames preprocessed as {@code label} (the {@code preprocessing} header of a patch
     * record) can be unwhitened: the Fourier mask alone. Without a label (not from ingest) the
     * preprocessing is unknown, and no picture is claimed to be in image space.
     */
    public static boolean appliesTo(String label) {
        return FourierMask.PREPROCESSING_LABEL.equals(label);
    }

    /**
     * A frame's patches in image space.
     *
     * @param patches whitened patches or their reconstruction, patch-major (B x n)
     * @return C applied to the assembled frame, S x S row-major
     */
    public float[] frame(float[] patches) {
        return filter.apply(geometry.assemble(patches));
    }

    /** S, the side of the frames. */
    public int frameSize() {
        return geometry.frameSize();
    }

    /**
     * 10 log10(||x||^2 / ||x - y||^2) of two frames in double; NaN when x is 0.
     *
     * @param reference      x, e.g. C of the whitened input
     * @param reconstruction y, e.g. C Phi alpha
     */
    public static double snrDb(float[] reference, float[] reconstruction) {
        if (reference.length != reconstruction.length) {
            throw new IllegalArgumentException("Frames of " + reference.length + " and " + reconstruction.length
                    + " values have no SNR");
        }
        return Metrics.snrDb(Nd4j.create(reference), Nd4j.create(reconstruction));
    }
}
