package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.store.ModelManifest;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.processor.streams.ProcessorOptions;

/**
 * Issue 6's learning check on real video: one replay of the bundled clip (795 frames of a street
 * walk) through the embedded broker, with the learner publishing a version every 50 frames and
 * snapshotting it. Over the replay the reconstruction SNR must rise, and the embedding objective of
 * appendix A.1 fall while P V P^T stays near I. The live curvature (step 1, on frames that are not
 * held out, coded with eq. 3.4, whose prediction term straightens beta for any P) is printed for the
 * docs (stream-processor/README.md) but not asserted: whether beta straightens is measured on held-out
 * frames against controls, in EvaluateIT.
 */
class OnlineLearningIT {

    private static final int PUBLISH_EVERY = 50;
    private static final int WINDOW = 100;

    @TempDir
    Path dir;

    @Test
    void learningOnTheBundledClipRaisesSnrLowersTheEmbeddingObjectiveAndStraightens() throws Exception {
        Path models = dir.resolve("models");
        ProcessorOptions options = ProcessorOptions.defaults().withPublishEvery(PUBLISH_EVERY).withModelDir(models);
        AllInOne.Settings settings = new AllInOne.Settings(SmtConfig.fast(), null, "it-learn", 0, false, 0,
                dir.resolve("data"), "127.0.0.1", 0, null, options);
        long start = System.nanoTime();
        List<FrameMetrics> metrics;
        List<ModelManifest> versions;
        try (AllInOne pipeline = AllInOne.start(settings)) {
            IngestSummary ingest = pipeline.awaitIngest();
            int frames = (int) ingest.framesPublished();
            assertEquals(frames, pipeline.metrics().awaitCount(frames, Duration.ofMinutes(8)), "every frame coded");
            double seconds = (System.nanoTime() - start) / 1e9;
            metrics = pipeline.metrics().received();
            versions = awaitLearner(new ModelRepository(models), frames - PUBLISH_EVERY, Duration.ofMinutes(4));
            System.out.printf(Locale.ROOT, "OnlineLearningIT: %d frames in %.1f s, ingest included (%s)%n", frames,
                    seconds, MetricsCollector.rateSummary(metrics));
        }
        ModelInfo newestInfo = versions.get(versions.size() - 1).info();
        System.out.printf(Locale.ROOT, "  the learner learned %.0f of the %.0f frames that reached it by v%d "
                + "(%.1f %%)%n", newestInfo.stat(ModelInfo.FRAMES_LEARNED), newestInfo.stat(ModelInfo.FRAMES_ARRIVED),
                versions.get(versions.size() - 1).version(), 100 * newestInfo.stat(ModelInfo.LEARNED_SHARE));
        for (ModelManifest v : versions) {
            ModelInfo info = v.info();
            System.out.printf(Locale.ROOT, "  v%-3d frames %4d  coding objective %8.3f  embedding objective %10.4g  "
                            + "|PVP^T - I| before refresh %.3g%n", v.version(), info.framesSeen(),
                    info.stat(ModelInfo.CODING_OBJECTIVE), info.stat(ModelInfo.EMBEDDING_OBJECTIVE),
                    info.stat(ModelInfo.CONSTRAINT_ERROR));
        }
        int n = metrics.size();
        List<FrameMetrics> first = metrics.subList(0, WINDOW);
        List<FrameMetrics> last = metrics.subList(n - WINDOW, n);
        double snrFirst = mean(first, FrameMetrics::snrAlphaDb);
        double snrLast = mean(last, FrameMetrics::snrAlphaDb);
        double pixels = mean(last, FrameMetrics::curvaturePixels);
        double alpha = mean(last, FrameMetrics::curvatureAlpha);
        double beta = mean(last, FrameMetrics::curvatureBeta);
        System.out.printf(Locale.ROOT, "  SNR of Phi alpha %.2f dB (first %d) -> %.2f dB (last %d); SNR of Phi g(beta) "
                        + "%.2f dB (last %d)%n", snrFirst, WINDOW, snrLast, WINDOW, mean(last, FrameMetrics::snrBetaDb),
                WINDOW);
        System.out.printf(Locale.ROOT, "  curvature over the last %d frames (step 1, all locations): pixels %.2f, "
                + "alpha %.2f, beta %.2f degrees%n", WINDOW, pixels, alpha, beta);

        assertTrue(snrLast > snrFirst + 2.0, "SNR should rise by more than 2 dB: " + snrFirst + " -> " + snrLast);
        List<ModelManifest> withP = versions.stream()
                .filter(v -> Double.isFinite(v.info().stat(ModelInfo.EMBEDDING_OBJECTIVE))).toList();
        assertTrue(withP.size() >= 6, "the learner published versions with P: " + withP.size());
        double earlyObjective = meanStat(withP.subList(0, 3), ModelInfo.EMBEDDING_OBJECTIVE);
        double lateObjective = meanStat(withP.subList(withP.size() - 3, withP.size()), ModelInfo.EMBEDDING_OBJECTIVE);
        assertTrue(lateObjective < earlyObjective, "the A.1 objective should fall: first three versions with P "
                + earlyObjective + ", last three " + lateObjective);
        // fast refits P exactly (eq. 3.3 on the learner's S and V) every 50 learned frames, where the regular
        // versions are published, once S has N difference columns; each P published right after a refit was
        // solved against the V it is published with. (Between refits the A.1 steps let P drift from the
        // constraint as V moves, and a version published because the learner went idle falls there;
        // OnlineSmtLearnerTest covers that path.)
        assertEquals(PUBLISH_EVERY, SmtConfig.fast().embeddingRefitEvery(),
                "the fast preset refits at each regular publication");
        List<ModelManifest> refitted = new ArrayList<>();
        for (int i = 1; i < withP.size(); i++) {
            if (withP.get(i).info().stat(ModelInfo.REFITS) > withP.get(i - 1).info().stat(ModelInfo.REFITS)) {
                refitted.add(withP.get(i));
            }
        }
        assertTrue(refitted.size() >= 3, "versions published at a refit: " + refitted.size());
        assertTrue(refitted.stream().allMatch(v -> v.info().framesSeen() % PUBLISH_EVERY == 0),
                "refits happen at the regular publications");
        double constraint = refitted.stream()
                .mapToDouble(v -> v.info().stat(ModelInfo.CONSTRAINT_ERROR)).max().orElseThrow();
        assertTrue(constraint < 1e-9, "P V P^T = I at every publication right after a refit: worst " + constraint);

        // The last version, exported, starts another run: it codes with that version from its first frame.
        ModelManifest newest = versions.get(versions.size() - 1);
        Path exported = dir.resolve("exported");
        new ModelRepository(models).export(newest.version(), exported);
        ProcessorOptions restart = ProcessorOptions.defaults().withLearning(false)
                .withInitialModel(ModelRepository.importFrom(exported));
        AllInOne.Settings second = new AllInOne.Settings(SmtConfig.fast(), null, "it-restart", 0, false, WINDOW,
                dir.resolve("data-2"), "127.0.0.1", 0, null, restart);
        try (AllInOne pipeline = AllInOne.start(second)) {
            pipeline.awaitIngest();
            assertEquals(WINDOW, pipeline.metrics().awaitCount(WINDOW, Duration.ofMinutes(3)));
            List<FrameMetrics> resumed = pipeline.metrics().received();
            assertTrue(resumed.stream().allMatch(m -> m.modelVersion() == newest.version()),
                    "every frame coded by the exported v" + newest.version());
            double resumedSnr = mean(resumed, FrameMetrics::snrAlphaDb);
            System.out.printf(Locale.ROOT, "  exported v%d restarts another run: SNR %.2f dB over its first %d frames "
                    + "(a fresh model: %.2f dB)%n", newest.version(), resumedSnr, WINDOW, snrFirst);
            assertTrue(resumedSnr > snrFirst + 2.0, "the exported model reconstructs the clip's opening frames "
                    + "better than a fresh one: " + resumedSnr + " vs " + snrFirst);
        }
    }

    /**
     * Waits for the snapshot after which at least {@code frames} frames had reached the learner (it
     * may have skipped some, had it fallen behind); returns every snapshot.
     */
    private static List<ModelManifest> awaitLearner(ModelRepository repository, long frames, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ModelManifest> versions = repository.list();
        while ((versions.isEmpty() || arrived(versions.get(versions.size() - 1)) < frames)
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            versions = repository.list();
        }
        assertTrue(!versions.isEmpty() && arrived(versions.get(versions.size() - 1)) >= frames,
                "the learner should catch up to " + frames + " frames; snapshots: " + versions.size());
        return versions;
    }

    private static double arrived(ModelManifest version) {
        return version.info().stat(ModelInfo.FRAMES_ARRIVED);
    }

    private static double mean(List<FrameMetrics> metrics, ToDoubleFunction<FrameMetrics> field) {
        return metrics.stream().mapToDouble(field).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static double meanStat(List<ModelManifest> versions, String stat) {
        return versions.stream().mapToDouble(v -> v.info().stat(stat)).average().orElse(Double.NaN);
    }
}
