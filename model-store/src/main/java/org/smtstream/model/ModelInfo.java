package org.smtstream.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a model version comes from and how it was doing when it was saved.
 *
 * @param parentVersion   version this one was derived from, or {@link #NO_PARENT}
 * @param createdAtMs     wall-clock time the version was made, epoch milliseconds
 * @param framesSeen      frames the learner had consumed when this version was made
 * @param rejectedUpdates learner updates rejected (NaN/Inf, diverging objective) up to this version
 * @param note            free text for people, e.g. "rollback to v12"; never null
 * @param stats           named measurements, e.g. {@link #SNR_DB}; NaN allowed for "not measured".
 *                        Stored as an immutable copy sorted by name, so encodings are deterministic.
 */
public record ModelInfo(long parentVersion, long createdAtMs, long framesSeen, long rejectedUpdates, String note,
                        Map<String, Double> stats) {

    public static final long NO_PARENT = -1;

    public static final String SNR_DB = "snrDb";
    public static final String CODING_OBJECTIVE = "codingObjective";
    public static final String EMBEDDING_OBJECTIVE = "embeddingObjective";
    public static final String CONSTRAINT_ERROR = "constraintError";
    /** Exact solves of eq. 3.3 by the learner since it started or was restored. */
    public static final String REFITS = "refits";
    /** Coded frames that reached the learner, and those it learned (it skips some when it falls behind). */
    public static final String FRAMES_ARRIVED = "framesArrived";
    public static final String FRAMES_LEARNED = "framesLearned";
    /**
     * Blank frames ({@link BlankFrame}) that reached the learner since the previous version: counted,
     * never learned from, and kept out of {@link #SNR_DB}.
     */
    public static final String BLANK_FRAMES = "blankFrames";
    /** {@link #FRAMES_LEARNED} / {@link #FRAMES_ARRIVED}. */
    public static final String LEARNED_SHARE = "learnedShare";
    /** Between a count's name and a stream id, for the count of one stream: {@code framesArrived:cam-1}. */
    public static final String PER_STREAM = ":";

    public ModelInfo {
        if (parentVersion < NO_PARENT) {
            throw new IllegalArgumentException("Invalid parent version: " + parentVersion + " (-1 for none)");
        }
        if (createdAtMs < 0) {
            throw new IllegalArgumentException("Invalid creation time: " + createdAtMs);
        }
        if (framesSeen < 0 || rejectedUpdates < 0) {
            throw new IllegalArgumentException("Invalid counters: frames seen " + framesSeen
                    + ", rejected updates " + rejectedUpdates);
        }
        note = note == null ? "" : note;
        TreeMap<String, Double> sorted = new TreeMap<>();
        if (stats != null) {
            stats.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException(
                            "Model stats must not hold null names or values: " + k + "=" + v);
                }
                sorted.put(k, v);
            });
        }
        stats = Collections.unmodifiableMap(sorted);
    }

    /** A model with no history yet, made at {@code createdAtMs}. */
    public static ModelInfo fresh(long createdAtMs) {
        return new ModelInfo(NO_PARENT, createdAtMs, 0, 0, "", Map.of());
    }

    /** The value of one stat, NaN when absent. */
    public double stat(String name) {
        return stats.getOrDefault(name, Double.NaN);
    }
}
