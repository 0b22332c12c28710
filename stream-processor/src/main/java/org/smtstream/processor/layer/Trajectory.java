package org.smtstream.processor.layer;

/**
 * The codes of one stream's last two frames, which {@link FrameInference} predicts the next frame's
 * from: what the offline tools keep per clip (the stream keeps it in a state store). A blank frame
 * cuts it, as a gap in frame indices does live: a prediction from the zeros of a blank frame, or
 * across one, would pull the codes of the next frame towards nothing.
 */
public final class Trajectory {

    private float[] previous;
    private float[] beforePrevious;

    /** alpha_{t-1}, or null after a cut. */
    public float[] previous() {
        return previous;
    }

    /** alpha_{t-2}, or null. */
    public float[] beforePrevious() {
        return beforePrevious;
    }

    /** Moves on by the frame just coded. */
    public void advance(FrameInference.Result coded) {
        if (coded.blank()) {
            previous = null;
            beforePrevious = null;
        } else {
            beforePrevious = previous;
            previous = coded.codes();
        }
    }
}
