package org.smtstream.processor.streams;

import java.nio.file.Path;
import org.smtstream.model.SmtModel;
import org.smtstream.processor.layer.PublicationGuard;

/**
 * How the processor runs, as opposed to what it computes ({@link org.smtstream.model.SmtConfig}).
 *
 * @param previewIntervalMs minimum wall-clock time between two preview images of one stream;
 *                          0 = a preview for every frame
 * @param deadAtomWindow    dictionary updates without any activity after which an atom is re-seeded
 * @param learning          send coded frames to the learner, which publishes new model versions
 *                          (false: inference only, following whatever versions appear on smt.model)
 * @param publishEvery      frames the learner learns from between two published versions
 * @param inverseEvery      compute g(beta), its reconstruction and SNR on frames whose index is a
 *                          multiple of this (another sparse solve per such frame); 0 = never
 * @param curvatureStep     temporal step k of the per-frame curvature in the metrics
 * @param divergenceFactor  a version is rejected when the learner's mean coding objective per patch
 *                          over its window exceeds this multiple of the previous window's
 * @param learnerMaxLagMs   how long a coded frame may wait on smt.learning before the learner, behind,
 *                          learns only a fair sample of the frames across streams until it catches up
 * @param modelDir          directory of versioned snapshots the learner writes on each publication,
 *                          or null for none
 * @param initialModel      the model to start from when smt.model holds nothing newer, or null for
 *                          the configuration's seeded random dictionary
 */
public record ProcessorOptions(long previewIntervalMs, int deadAtomWindow, boolean learning, int publishEvery,
                               int inverseEvery, int curvatureStep, double divergenceFactor, long learnerMaxLagMs,
                               Path modelDir, SmtModel initialModel) {

    public ProcessorOptions {
        if (previewIntervalMs < 0) {
            throw new IllegalArgumentException("Invalid preview interval: " + previewIntervalMs + " ms (must be >= 0)");
        }
        if (deadAtomWindow < 1) {
            throw new IllegalArgumentException("Invalid dead-atom window: " + deadAtomWindow + " (must be >= 1)");
        }
        if (publishEvery < 1) {
            throw new IllegalArgumentException(
                    "Invalid publication interval: " + publishEvery + " frames (must be >= 1)");
        }
        if (inverseEvery < 0) {
            throw new IllegalArgumentException("Invalid g(beta) interval: " + inverseEvery + " (must be >= 0)");
        }
        if (curvatureStep < 1) {
            throw new IllegalArgumentException("Invalid curvature step: " + curvatureStep + " (must be >= 1)");
        }
        if (!(divergenceFactor > 1) || !Double.isFinite(divergenceFactor)) {
            throw new IllegalArgumentException("Invalid divergence factor: " + divergenceFactor + " (must be > 1)");
        }
        if (learnerMaxLagMs <= 0) {
            throw new IllegalArgumentException("Invalid learner lag bound: " + learnerMaxLagMs + " ms (must be > 0)");
        }
    }

    /**
     * Previews at most every 500 ms per stream, re-seeding after 200 idle updates, learning with a
     * version every 50 frames, g(beta) on every 10th frame, curvature at step 1, versions rejected
     * when the objective grows tenfold, the learner sampling once frames wait 5 s for it, no snapshots,
     * starting from the seeded random dictionary.
     */
    public static ProcessorOptions defaults() {
        return new ProcessorOptions(500, 200, true, 50, 10, 1, PublicationGuard.DEFAULT_DIVERGENCE_FACTOR, 5000, null,
                null);
    }

    public ProcessorOptions withPreviewIntervalMs(long intervalMs) {
        return new ProcessorOptions(intervalMs, deadAtomWindow, learning, publishEvery, inverseEvery, curvatureStep,
                divergenceFactor, learnerMaxLagMs, modelDir, initialModel);
    }

    public ProcessorOptions withLearning(boolean enabled) {
        return new ProcessorOptions(previewIntervalMs, deadAtomWindow, enabled, publishEvery, inverseEvery,
                curvatureStep, divergenceFactor, learnerMaxLagMs, modelDir, initialModel);
    }

    public ProcessorOptions withPublishEvery(int frames) {
        return new ProcessorOptions(previewIntervalMs, deadAtomWindow, learning, frames, inverseEvery, curvatureStep,
                divergenceFactor, learnerMaxLagMs, modelDir, initialModel);
    }

    public ProcessorOptions withInverseEvery(int frames) {
        return new ProcessorOptions(previewIntervalMs, deadAtomWindow, learning, publishEvery, frames, curvatureStep,
                divergenceFactor, learnerMaxLagMs, modelDir, initialModel);
    }

    public ProcessorOptions withCurvatureStep(int k) {
        return new ProcessorOptions(previewIntervalMs, deadAtomWindow, learning, publishEvery, inverseEvery, k,
                divergenceFactor, learnerMaxLagMs, modelDir, initialModel);
    }

    public ProcessorOptions withModelDir(Path dir) {
        return new ProcessorOptions(previewIntervalMs, deadAtomWindow, learning, publishEvery, inverseEvery,
                curvatureStep, divergenceFactor, learnerMaxLagMs, dir, initialModel);
    }

    public ProcessorOptions withInitialModel(SmtModel model) {
        return new ProcessorOptions(previewIntervalMs, deadAtomWindow, learning, publishEvery, inverseEvery,
                curvatureStep, divergenceFactor, learnerMaxLagMs, modelDir, model);
    }

    public ProcessorOptions withLearnerMaxLagMs(long lagMs) {
        return new ProcessorOptions(previewIntervalMs, deadAtomWindow, learning, publishEvery, inverseEvery,
                curvatureStep, divergenceFactor, lagMs, modelDir, initialModel);
    }
}
