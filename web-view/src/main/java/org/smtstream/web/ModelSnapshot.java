package org.smtstream.web;

import java.util.Map;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.Needles;

/**
 * What the page shows of one model version: the arrays it draws and the figures it charts.
 *
 * @param patchSize       side p of an atom's patch (phi has p^2 rows)
 * @param phi             dictionary, n x N
 * @param p               embedding, f x N; null until the learner has one
 * @param meanActivity    mean activation per atom, length N; null until accumulated
 * @param needles         the needle of each atom; null when the version carries none
 * @param framesSeen      frames the learner had consumed when it made this version
 * @param rejectedUpdates learner updates rejected so far (NaN/Inf, diverging objective)
 * @param stats           measurements by name ({@link #SNR_DB} and the others); absent or NaN when not measured
 */
record ModelSnapshot(long version, int patchSize, FloatMatrix phi, FloatMatrix p, float[] meanActivity,
                     Needles needles, long parentVersion, long createdAtMs, long framesSeen, long rejectedUpdates,
                     String note, Map<String, Double> stats) {

    static final String SNR_DB = ModelInfo.SNR_DB;
    static final String CODING_OBJECTIVE = ModelInfo.CODING_OBJECTIVE;
    /** ||P A D||^2 per sample. */
    static final String EMBEDDING_OBJECTIVE = ModelInfo.EMBEDDING_OBJECTIVE;
    /** ||P V P^T - I||. */
    static final String CONSTRAINT_ERROR = ModelInfo.CONSTRAINT_ERROR;
    /** Coded frames that reached the learner and those it learned, in total; per stream with {@link #PER_STREAM}. */
    static final String FRAMES_ARRIVED = ModelInfo.FRAMES_ARRIVED;
    static final String FRAMES_LEARNED = ModelInfo.FRAMES_LEARNED;
    static final String LEARNED_SHARE = ModelInfo.LEARNED_SHARE;
    static final String PER_STREAM = ModelInfo.PER_STREAM;

    ModelSnapshot {
        if (phi == null || phi.rows() != patchSize * patchSize) {
            throw new IllegalArgumentException("phi must have " + patchSize + "^2 rows, got " + phi);
        }
        if (p != null && p.cols() != phi.cols()) {
            throw new IllegalArgumentException("P has " + p.cols() + " columns, phi " + phi.cols());
        }
        if (meanActivity != null && meanActivity.length != phi.cols()) {
            meanActivity = null;
        }
        if (needles != null && needles.size() != phi.cols()) {
            throw new IllegalArgumentException(needles.size() + " needles for " + phi.cols() + " atoms");
        }
        note = note == null ? "" : note;
        stats = stats == null ? Map.of() : Map.copyOf(stats);
    }

    double stat(String name) {
        return stats.getOrDefault(name, Double.NaN);
    }
}
