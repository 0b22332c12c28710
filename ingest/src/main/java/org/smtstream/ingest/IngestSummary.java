package org.smtstream.ingest;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of one {@link IngestJob} run.
 *
 * @param framesPublished   patch records Kafka acknowledged
 * @param framesSkipped     source frames lost as corrupt or undecodable (not published)
 * @param framesDropped     frames of a live source not published: dropped because publishing fell behind,
 *                          or still buffered when the run ended
 * @param framesBlank       of the published frames, those with nothing in them (uniform gray, published
 *                          as zeros; {@link org.smtstream.model.BlankFrame})
 * @param previewsPublished preview images Kafka acknowledged (an INPUT and a WHITENED image per preview)
 * @param elapsed           wall-clock time of the run
 * @param ending            why the run ended
 */
public record IngestSummary(long framesPublished, long framesSkipped, long framesDropped, long framesBlank,
                            long previewsPublished, Duration elapsed, Ending ending) {

    /** Why a run ended. */
    public enum Ending {
        /** The source had no more frames (looping was off or a pass yielded none; a stream ended or dropped). */
        END_OF_SOURCE,
        /** The configured maximum number of frames was published. */
        MAX_FRAMES,
        /** {@link IngestJob#stop()} was called. */
        STOPPED
    }

    /** Published frames per second of wall-clock time. */
    public double fps() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? framesPublished / seconds : 0;
    }

    @Override
    public String toString() {
        return String.format("%d frames published (%d skipped as corrupt, %d dropped, %d blank), "
                        + "%d previews in %.1f s (%.1f fps), %s",
                framesPublished, framesSkipped, framesDropped, framesBlank, previewsPublished,
                elapsed.toNanos() / 1e9, fps(),
                ending.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}
