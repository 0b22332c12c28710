package org.smtstream.processor.layer;

import java.util.Locale;
import java.util.Optional;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtModel;

/**
 * The guard rail between the learner and a new model version, the same for the live learner's
 * publications and offline training's checkpoints. A learner state is rejected when
 * <ul>
 *   <li>its Phi or P holds a NaN or infinite value, or</li>
 *   <li>its mean coding objective per patch over the window since the last version is not finite, or</li>
 *   <li>that objective exceeds {@code divergenceFactor} times the window objective of the last version
 *       accepted here (the first version a guard sees has nothing to diverge from).</li>
 * </ul>
 * A rejection is counted (the count goes into the next version's info) and the caller goes back to
 * {@link #lastGood()}, which stays what it was.
 */
public final class PublicationGuard {

    /** A version is rejected when its coding objective rose tenfold over the previous version's. */
    public static final double DEFAULT_DIVERGENCE_FACTOR = 10.0;

    private final double divergenceFactor;
    private SmtModel lastGood;
    private long rejected;
    private double lastObjective = Double.NaN;

    /**
     * @param divergenceFactor  the objective's rise, &gt; 1, beyond which a version is rejected
     * @param lastGood          the version to go back to, or null for the seeded random dictionary
     * @param rejectedSoFar     rejections counted before this guard
     */
    public PublicationGuard(double divergenceFactor, SmtModel lastGood, long rejectedSoFar) {
        if (!(divergenceFactor > 1) || !Double.isFinite(divergenceFactor)) {
            throw new IllegalArgumentException("Invalid divergence factor: " + divergenceFactor + " (must be > 1)");
        }
        if (rejectedSoFar < 0) {
            throw new IllegalArgumentException("Invalid rejection count: " + rejectedSoFar);
        }
        this.divergenceFactor = divergenceFactor;
        this.lastGood = lastGood;
        this.rejected = rejectedSoFar;
    }

    /**
     * Judges the learner's current state. A rejection is counted here; the caller then continues
     * from {@link #lastGood()}.
     *
     * @return why the state may not become a version, or empty when it may
     */
    public Optional<String> reject(OnlineSmtLearner learner) {
        Optional<String> reason = reason(learner.isFinite(), learner.windowObjective());
        if (reason.isPresent()) {
            rejected++;
        }
        return reason;
    }

    /** The rule itself, on the learner's two health signals. */
    Optional<String> reason(boolean finite, double windowObjective) {
        if (!finite) {
            return Optional.of("the model has NaN or infinite values");
        }
        if (!Double.isFinite(windowObjective)) {
            return Optional.of("the coding objective is " + windowObjective);
        }
        if (windowObjective > divergenceFactor * lastObjective) {
            return Optional.of(String.format(Locale.ROOT, "the coding objective per patch rose from %.4g to %.4g",
                    lastObjective, windowObjective));
        }
        return Optional.empty();
    }

    /** An accepted state became {@code version}: the next one is judged against its objective. */
    public void accepted(SmtModel version) {
        lastGood = version;
        lastObjective = version.info().stat(ModelInfo.CODING_OBJECTIVE);
    }

    /**
     * Another writer's version replaces the learner's state (a rollback): it is the new version to go
     * back to, and, its window being unknown here, the next version has nothing to diverge from.
     */
    public void adopted(SmtModel version) {
        lastGood = version;
        lastObjective = Double.NaN;
    }

    /** The last accepted (or adopted) version, or null when there is none yet. */
    public SmtModel lastGood() {
        return lastGood;
    }

    /** Rejections so far, including those counted before this guard. */
    public long rejected() {
        return rejected;
    }
}
