package org.smtstream.processor.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelManifest;
import org.smtstream.model.store.ModelRepository;

class OfflineTrainerTest {

    @TempDir
    Path dir;

    @Test
    void shouldStoreLoadableCheckpointsWhileTheSnrRises() throws Exception {
        ModelRepository repo = new ModelRepository(dir.resolve("models"));
        List<Clip> clips = List.of(SyntheticClips.clip("a", 90, 1), SyntheticClips.clip("b", 60, 2));
        List<Long> progress = new ArrayList<>();
        OfflineTrainer.Result result = OfflineTrainer.train(clips, SyntheticClips.CONFIG, null, repo,
                OfflineTrainer.Options.defaults().withCheckpointEvery(50), progress::add);

        assertEquals(150, result.frames());
        assertEquals(150, progress.size(), "progress after every frame");
        assertEquals(150L, progress.get(149));
        List<OfflineTrainer.Checkpoint> checkpoints = result.checkpoints();
        assertEquals(List.of(1L, 2L, 3L), checkpoints.stream().map(OfflineTrainer.Checkpoint::version).toList());
        List<ModelManifest> stored = repo.list();
        assertEquals(3, stored.size());
        for (int i = 0; i < 3; i++) {
            SmtModel loaded = repo.load(i + 1);
            assertEquals(50L * (i + 1), loaded.info().framesSeen());
            assertEquals(i == 0 ? ModelInfo.NO_PARENT : i, loaded.info().parentVersion());
            assertEquals(checkpoints.get(i).snrDb(), loaded.info().stat(ModelInfo.SNR_DB), 1e-9, "v" + (i + 1));
            assertEquals(checkpoints.get(i).inferenceSnrDb(), loaded.info().stat(OfflineTrainer.INFERENCE_SNR_DB),
                    1e-9, "v" + (i + 1));
            assertNotNull(loaded.p(), "P is learned after the warm-up");
        }
        double first = checkpoints.get(0).inferenceSnrDb();
        double last = checkpoints.get(2).inferenceSnrDb();
        assertTrue(last > first + 3.0, "SNR of inference's Phi alpha should rise by more than 3 dB: " + checkpoints);
    }

    /** A clip that starts and ends black: its blank frames stay out of the checkpoint SNRs, which stay finite. */
    @Test
    void shouldKeepBlankFramesOutOfTheCheckpointSnr() throws Exception {
        List<float[]> frames = new ArrayList<>(SyntheticClips.clip("a", 20, 6).frames());
        float[] blank = new float[frames.get(0).length];
        frames.add(0, blank);
        frames.add(blank);
        OfflineTrainer.Result result = OfflineTrainer.train(List.of(new Clip("black ends", frames)),
                SyntheticClips.CONFIG, null, new ModelRepository(dir.resolve("models")),
                OfflineTrainer.Options.defaults(), done -> { });
        OfflineTrainer.Checkpoint checkpoint = result.checkpoints().get(0);
        assertEquals(22, result.frames(), "frames gone through");
        assertEquals(20, checkpoint.framesSeen(), "frames learned: not the blank ones");
        assertEquals(2, checkpoint.blankFrames());
        assertEquals(2.0, result.model().info().stat(ModelInfo.BLANK_FRAMES), "stored with the version");
        assertTrue(Double.isFinite(checkpoint.inferenceSnrDb()), "inference SNR " + checkpoint.inferenceSnrDb());
        assertTrue(Double.isFinite(checkpoint.snrDb()), "learner SNR " + checkpoint.snrDb());
        for (float v : result.model().phi().data()) {
            assertTrue(Float.isFinite(v), "Phi holds only finite values");
        }
    }

    @Test
    void shouldNumberResumedCheckpointsAfterTheNewestVersion() throws Exception {
        ModelRepository repo = new ModelRepository(dir.resolve("models"));
        Clip clip = SyntheticClips.clip("a", 30, 3);
        SmtModel first = OfflineTrainer.train(List.of(clip), SyntheticClips.CONFIG, null, repo,
                OfflineTrainer.Options.defaults(), done -> { }).model();
        assertEquals(1, first.version());
        OfflineTrainer.Result resumed = OfflineTrainer.train(List.of(clip), SyntheticClips.CONFIG, first, repo,
                OfflineTrainer.Options.defaults().withPasses(2), done -> { });
        assertEquals(2, resumed.model().version());
        assertEquals(1, resumed.model().info().parentVersion());
        assertEquals(90, resumed.model().info().framesSeen(), "30 frames before, 2 x 30 now");
    }

    /** The live learner's guard rail: a checkpoint whose coding objective jumps tenfold is not saved. */
    @Test
    void shouldRejectACheckpointWhoseObjectiveDiverges() throws Exception {
        ModelRepository repo = new ModelRepository(dir.resolve("models"));
        Clip calm = SyntheticClips.clip("calm", 30, 4);
        List<float[]> loud = new ArrayList<>();
        for (float[] frame : SyntheticClips.clip("loud", 30, 5).frames()) {
            float[] scaled = frame.clone();
            for (int k = 0; k < scaled.length; k++) {
                scaled[k] *= 30;
            }
            loud.add(scaled);
        }
        OfflineTrainer.Result result = OfflineTrainer.train(List.of(calm, new Clip("loud", loud)),
                SyntheticClips.CONFIG, null, repo, OfflineTrainer.Options.defaults().withCheckpointEvery(30),
                done -> { });
        assertEquals(1, result.rejected(), "the second checkpoint's objective rose far more than tenfold");
        assertEquals(List.of(1L), result.checkpoints().stream().map(OfflineTrainer.Checkpoint::version).toList());
        assertEquals(1, result.model().version(), "the last good version stays");
        assertEquals(1, repo.list().size());
    }

    @Test
    void shouldResumeFromTheNewestVersionWithItsConfigurationOrSayThereIsNone() throws Exception {
        ModelRepository repo = new ModelRepository(dir.resolve("models"));
        Clip clip = SyntheticClips.clip("a", 30, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OfflineTrainer.train(
                config -> List.of(clip), SyntheticClips.CONFIG, repo, true, OfflineTrainer.Options.defaults(),
                Progress.none()));
        assertEquals("No version to resume from in " + repo.dir(), e.getMessage());

        OfflineTrainer.train(config -> List.of(clip), SyntheticClips.CONFIG, repo, false,
                OfflineTrainer.Options.defaults(), Progress.none());
        List<SmtConfig> readFor = new ArrayList<>();
        OfflineTrainer.Result resumed = OfflineTrainer.train(config -> {
            readFor.add(config);
            return List.of(clip);
        }, SmtConfig.seed(), repo, true, OfflineTrainer.Options.defaults(), Progress.none());
        assertEquals(List.of(SyntheticClips.CONFIG), readFor, "read for the resumed model's configuration");
        assertEquals(2, resumed.model().version());
        assertEquals(60, resumed.model().info().framesSeen());
    }

    @Test
    void shouldRejectFramesOfAnotherGeometry() {
        ModelRepository repo = new ModelRepository(dir.resolve("models"));
        Clip wrong = new Clip("wrong", List.of(new float[7]));
        assertThrows(IllegalArgumentException.class, () -> OfflineTrainer.train(List.of(wrong), SyntheticClips.CONFIG,
                null, repo, OfflineTrainer.Options.defaults(), done -> { }));
    }
}
