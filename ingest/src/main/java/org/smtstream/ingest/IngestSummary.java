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
 * @param outages           times a live source was lost and reconnecting began
 * @param outageTime        time without frames in the outages (from the last frame before each to the
 *                          first after it, or to the end of the run)
 * @param framesLost        frames a live source would have delivered during the outages, estimated from
 *                          their length and its frame rate (at least one per outage)
 */
public record IngestSummary(long framesPublished, long framesSkipped, long framesDropped, long framesBlank,
                            long previewsPublished, Duration elapsed, Ending ending, long outages, Duration outageTime,
                            long framesLost) {

    /** A run without outages. */
    public IngestSummary(long framesPublished, long framesSkipped, long framesDropped, long framesBlank,
                         long previewsPublished, Duration elapsed, Ending ending) {
        this(framesPublished, framesSkipped, framesDropped, framesBlank, previewsPublished, elapsed, ending, 0,
                Duration.ZERO, 0);
    }

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
        String outagePart = outages == 0 ? "" : String.format(Locale.ROOT, ", %d lost in %d outage%s of %.1f s",
                framesLost, outages, outages == 1 ? "" : "s", outageTime.toNanos() / 1e9);
        return String.format(Locale.ROOT, "%d frames published (%d skipped as corrupt, %d dropped%s, %d blank), "
                        + "%d previews in %.1f s (%.1f fps), %s",
                framesPublished, framesSkipped, framesDropped, outagePart, framesBlank, previewsPublished,
                elapsed.toNanos() / 1e9, fps(), ending.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}
