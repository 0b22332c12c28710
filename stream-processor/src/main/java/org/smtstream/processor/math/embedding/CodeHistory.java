package org.smtstream.processor.math.embedding;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * The two previous code frames of ONE stream, alpha_{t-1} and alpha_{t-2} (N x B, one column per
 * patch location), for the causal prediction of eq. 3.4 and the second differences of eq. 3.3.
 * Keep one history per stream; call {@link #reset()} at a cut (a scene change, a seek, a gap in the
 * frame sequence), so that no prediction or difference ever spans two streams, a cut, or two
 * locations (every operation is column by column).
 *
 * <p>Buffers are FLOAT, preallocated; pushes copy (the caller's arrays are not retained). Not
 * thread-safe (ARCHITECTURE.md, trap T2).
 */
public final class CodeHistory {

    private final int atoms;
    private final int locations;
    private INDArray previous;        // alpha_{t-1}
    private INDArray beforePrevious;  // alpha_{t-2}
    private int depth;

    /**
     * @param atoms     N
     * @param locations B, patch locations per frame
     */
    public CodeHistory(int atoms, int locations) {
        if (atoms < 1 || locations < 1) {
            throw new IllegalArgumentException("Invalid history shape: " + atoms + " x " + locations);
        }
        this.atoms = atoms;
        this.locations = locations;
        this.previous = Scratch.buffer(atoms, locations);
        this.beforePrevious = Scratch.buffer(atoms, locations);
    }

    /** Frames remembered since the last reset: 0, 1 or 2. */
    public int depth() {
        return depth;
    }

    /** Forgets the past (a cut): the next two frames have no prediction and no difference. */
    public void reset() {
        depth = 0;
    }

    /**
     * The causal linear prediction a~_t = alpha_{t-1} + (alpha_{t-1} - alpha_{t-2}) of eq. 3.4.
     *
     * @param out N x B, overwritten when the history is deep enough
     * @return false (out untouched) when fewer than two frames are remembered
     */
    public boolean prediction(INDArray out) {
        requireFrame("out", out);
        if (depth < 2) {
            return false;
        }
        out.assign(previous).muli(2.0).subi(beforePrevious);
        return true;
    }

    /**
     * Appends alpha_t. When two frames were remembered, first writes the second difference centred
     * on alpha_{t-1}, alpha_{t-1} - 0.5 (alpha_{t-2} + alpha_t), into {@code difference}.
     *
     * @param codes      alpha_t, N x B; copied
     * @param difference N x B output, or null when not wanted
     * @return true when a difference was (or, with a null output, could have been) formed
     */
    public boolean push(INDArray codes, INDArray difference) {
        requireFrame("codes", codes);
        boolean formed = depth >= 2;
        if (formed && difference != null) {
            requireFrame("difference", difference);
            SecondDifference.of(beforePrevious, previous, codes, difference);
        }
        INDArray recycled = beforePrevious;
        beforePrevious = previous;
        previous = recycled;
        previous.assign(codes);
        depth = Math.min(2, depth + 1);
        return formed;
    }

    /** alpha_{t-1}, N x B, live; meaningful when depth &gt;= 1. */
    public INDArray previous() {
        return previous;
    }

    /** alpha_{t-2}, N x B, live; meaningful when depth == 2. */
    public INDArray beforePrevious() {
        return beforePrevious;
    }

    public int atoms() {
        return atoms;
    }

    public int locations() {
        return locations;
    }

    private void requireFrame(String name, INDArray a) {
        if (a.rank() != 2 || a.rows() != atoms || a.columns() != locations) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(a.shape()) + ", expected ["
                    + atoms + ", " + locations + "]");
        }
    }
}
