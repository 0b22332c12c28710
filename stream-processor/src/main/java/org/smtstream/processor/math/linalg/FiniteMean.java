package org.smtstream.processor.math.linalg;

/**
 * A running mean that leaves out undefined values and counts them. The SNR of a frame with nothing
 * in it (a black or uniform frame whitens to zeros) is 0/0; summed into a window's mean it would make
 * the whole window NaN.
 */
public final class FiniteMean {

    private double sum;
    private long count;
    private long undefined;

    /** Adds {@code value}, or counts it as undefined when it is NaN or infinite. */
    public void add(double value) {
        if (Double.isFinite(value)) {
            sum += value;
            count++;
        } else {
            undefined++;
        }
    }

    /** The mean of the finite values added since the last reset; NaN when there were none. */
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Values left out since the last reset. */
    public long undefined() {
        return undefined;
    }

    public void reset() {
        sum = 0;
        count = 0;
        undefined = 0;
    }
}
