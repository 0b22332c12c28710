package org.smtstream.model;

import org.smtstream.model.wire.FrameMetrics;

/**
 * The one definition of a frame with nothing in it, for every module. A uniformly black frame (the
 * first frame of many recordings, a covered lens, a camera at night) has no structure to code: its
 * SNRs are 0/0 and it would teach the model nothing but zeros. Such frames are counted and kept out
 * of every ratio statistic and every model update.
 *
 * <p><b>Ingest</b> decides: a frame is blank when the standard deviation of its gray values (in [0, 1],
 * after centre crop and downsampling to S x S) is below {@link #GRAY_STD}, half of one 8-bit level.
 * Every source decodes to 8 bits per channel, so a frame whose pixels vary by less than half a
 * quantization step carries no structure the recording itself can represent: what variation it has is
 * rounding and compression noise, which whitening and the scaling to unit deviation would blow up to
 * full contrast. Downsampling averages tens of sensor pixels per output pixel, so the noise of a
 * covered or dark sensor falls below the bound too, while a dim scene whose gray values spread over a
 * few levels stays above it (three equally common levels: 0.8 of a level). Ingest publishes a blank
 * frame as all zeros.
 *
 * <p><b>Everything downstream</b> recognises it by its whitened values ({@link #isBlank(float[])}):
 * ingest scales every other frame to unit standard deviation, so its mean square is about 1, and a
 * mean square below {@link #WHITENED_MEAN_SQUARE} is the zeros of a blank frame (or a frame so close
 * to it that any ratio of it is noise). Inference writes such a frame's SNRs as NaN, so on
 * {@code smt.metrics} a blank frame is one with an undefined SNR of Phi alpha ({@link #isBlank(FrameMetrics)}).
 */
public final class BlankFrame {

    /** Half an 8-bit quantization step: gray frames with a lower standard deviation are blank. */
    public static final double GRAY_STD = 0.5 / 255;
    /** Whitened frames (unit variance unless blank) with a lower mean square value are blank. */
    public static final double WHITENED_MEAN_SQUARE = 1e-6;

    private BlankFrame() {
    }

    /** Whether a gray frame with this standard deviation of its values in [0, 1] is blank. */
    public static boolean isUniform(double grayStd) {
        return !(grayStd >= GRAY_STD);   // NaN counts as blank: there is nothing to whiten
    }

    /**
     * Whether whitened values (a frame, or all patches of one) are those of a blank frame. Stops at the
     * first values that exceed the bound, so a frame with content costs almost nothing.
     */
    public static boolean isBlank(float[] whitened) {
        double bound = WHITENED_MEAN_SQUARE * whitened.length;
        double energy = 0;
        for (float v : whitened) {
            energy += (double) v * v;
            if (!(energy < bound)) {
                return false;          // content, or NaN values, which are not blank either
            }
        }
        return true;
    }

    /** Whether inference coded a blank frame: it has no SNR of Phi alpha. */
    public static boolean isBlank(FrameMetrics metrics) {
        return Double.isNaN(metrics.snrAlphaDb());
    }
}
