package org.smtstream.ingest.preprocess;

import org.smtstream.model.BlankFrame;

/**
 * One frame after preprocessing. Both arrays are S x S, row-major.
 *
 * @param size     S, the side of the frame in pixels
 * @param gray     grayscale intensity in [0, 1] after crop and downsampling, before whitening
 * @param whitened the whitened frame, zero mean and unit standard deviation over its pixels (all
 *                 zeros for a blank input, {@link BlankFrame}): the scale the processor's lambda assumes
 */
public record PreprocessedFrame(int size, float[] gray, float[] whitened) {

    public PreprocessedFrame {
        if (gray.length != size * size || whitened.length != size * size) {
            throw new IllegalArgumentException("Expected " + size * size + " pixels, got " + gray.length
                    + " gray and " + whitened.length + " whitened");
        }
    }

    /** Whether the frame had nothing in it and whitened to zeros ({@link BlankFrame}). */
    public boolean blank() {
        return BlankFrame.isBlank(whitened);
    }
}
