package org.smtstream.model.wire;

import org.apache.kafka.common.header.Headers;

/**
 * What ingest has lost of one stream so far, cumulative from the start of its run, sent as headers
 * of every {@code smt.patches} record ({@link PatchHeaders}) so that whoever follows the stream sees
 * what never reached Kafka. Each frame ingest obtained is published or counted here exactly once.
 *
 * @param dropped   frames a live source delivered while the publisher was behind, discarded oldest first
 * @param corrupt   frames that could not be decoded
 * @param outages   times a live source went away and was reconnected
 * @param outageMs  total time without a source during those outages
 * @param lost      frames estimated lost during outages (their length times the nominal frame rate)
 */
public record IngestFaults(long dropped, long corrupt, long outages, long outageMs, long lost) {

    public static final IngestFaults NONE = new IngestFaults(0, 0, 0, 0, 0);

    public static final String DROPPED = "droppedFrames";
    public static final String CORRUPT = "corruptFrames";
    public static final String OUTAGES = "outages";
    public static final String OUTAGE_MS = "outageMs";
    public static final String LOST = "lostFrames";

    public IngestFaults {
        if (dropped < 0 || corrupt < 0 || outages < 0 || outageMs < 0 || lost < 0) {
            throw new IllegalArgumentException("Invalid ingest fault counts: " + dropped + ", " + corrupt + ", "
                    + outages + ", " + outageMs + " ms, " + lost + " (counts are never negative)");
        }
    }

    /** Adds the five counts to {@code headers} as decimal numbers. */
    public Headers addTo(Headers headers) {
        PatchHeaders.putDecimal(headers, DROPPED, dropped);
        PatchHeaders.putDecimal(headers, CORRUPT, corrupt);
        PatchHeaders.putDecimal(headers, OUTAGES, outages);
        PatchHeaders.putDecimal(headers, OUTAGE_MS, outageMs);
        return PatchHeaders.putDecimal(headers, LOST, lost);
    }

    /** The counts in {@code headers}; a count that is absent or unreadable (an older ingest) is 0. */
    public static IngestFaults of(Headers headers) {
        return new IngestFaults(count(headers, DROPPED), count(headers, CORRUPT), count(headers, OUTAGES),
                count(headers, OUTAGE_MS), count(headers, LOST));
    }

    /** Frames that never reached Kafka: dropped, corrupt and lost in outages. */
    public long framesLost() {
        return dropped + corrupt + lost;
    }

    private static long count(Headers headers, String key) {
        return Math.max(0, PatchHeaders.decimal(headers, key, 0));
    }
}
