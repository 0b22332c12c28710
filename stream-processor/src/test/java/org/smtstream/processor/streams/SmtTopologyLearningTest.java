package org.smtstream.processor.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtModel;
import org.smtstream.model.Topics;
import org.smtstream.model.store.ModelAssembler;
import org.smtstream.model.store.ModelChunks;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.model.wire.Embeddings;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.model.wire.LearningSample;
import org.smtstream.model.wire.ModelChunk;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.SparseCodes;
import org.smtstream.processor.layer.FrameInference;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.math.coding.Dictionary;

/**
 * The stateful side of the topology in a {@link TopologyTestDriver}: per-stream trajectories in the
 * state store, the learner's versions on smt.model (which the driver feeds back into the global
 * store, as a broker would), hot swaps, snapshots and the guard rail.
 */
class SmtTopologyLearningTest {

    private static final ProcessorOptions OPTIONS = new ProcessorOptions(1000, 50, true, 5, 10, 1, 10.0, 5000, null,
            null);

    @TempDir
    Path stateDir;

    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    private record Pipeline(TopologyTestDriver driver, TestInputTopic<String, PatchFrame> patches,
                            TestInputTopic<String, ModelChunk> modelIn,
                            TestInputTopic<String, LearningSample> learning,
                            TestOutputTopic<String, SparseCodes> codes,
                            TestOutputTopic<String, Embeddings> embeddings,
                            TestOutputTopic<String, FrameMetrics> metrics,
                            TestOutputTopic<String, ModelChunk> models) {

        void pipe(PatchFrame frame) {
            patches.pipeInput(frame.streamId(), frame);
        }

        KeyValueStore<String, TrajectoryState> trajectories() {
            return driver.getKeyValueStore(SmtTopology.TRAJECTORY_STORE);
        }

        /** Versions published so far, assembled from the model topic's output. */
        List<SmtModel> publishedModels() {
            ModelAssembler assembler = new ModelAssembler();
            List<SmtModel> out = new ArrayList<>();
            for (ModelChunk chunk : models.readValuesToList()) {
                assembler.accept(chunk).ifPresent(out::add);
            }
            return out;
        }
    }

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
    }

    private Pipeline open(ProcessorOptions options, String name) {
        return open(options, name, Instant.now());
    }

    private Pipeline open(ProcessorOptions options, String name, Instant wallClock) {
        Properties props = SmtTopology.streamsConfig("smt-test", "localhost:9", stateDir.resolve(name), 1);
        TopologyTestDriver driver = new TopologyTestDriver(
                SmtTopology.build(SmtTopologyTest.SMALL, options, new ModelRegistry()), props, wallClock);
        drivers.add(driver);
        return new Pipeline(driver,
                driver.createInputTopic(Topics.PATCHES.name(), Topics.PATCHES.keySerde().serializer(),
                        Topics.PATCHES.valueSerde().serializer()),
                driver.createInputTopic(Topics.MODEL.name(), Topics.MODEL.keySerde().serializer(),
                        Topics.MODEL.valueSerde().serializer()),
                driver.createInputTopic(Topics.LEARNING.name(), Topics.LEARNING.keySerde().serializer(),
                        Topics.LEARNING.valueSerde().serializer()),
                driver.createOutputTopic(Topics.CODES.name(), Topics.CODES.keySerde().deserializer(),
                        Topics.CODES.valueSerde().deserializer()),
                driver.createOutputTopic(Topics.EMBEDDINGS.name(), Topics.EMBEDDINGS.keySerde().deserializer(),
                        Topics.EMBEDDINGS.valueSerde().deserializer()),
                driver.createOutputTopic(Topics.METRICS.name(), Topics.METRICS.keySerde().deserializer(),
                        Topics.METRICS.valueSerde().deserializer()),
                driver.createOutputTopic(Topics.MODEL.name(), Topics.MODEL.keySerde().deserializer(),
                        Topics.MODEL.valueSerde().deserializer()));
    }

    @Test
    void interleavedStreamsNeverMixTrajectories() {
        ProcessorOptions inferenceOnly = OPTIONS.withLearning(false);
        Pipeline alone = open(inferenceOnly, "alone");
        Pipeline mixed = open(inferenceOnly, "mixed");
        SyntheticFrames a = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 11);
        SyntheticFrames b = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 12);
        for (int t = 0; t < 6; t++) {
            PatchFrame frame = a.next("cam-a", t);
            alone.pipe(frame);
            mixed.pipe(frame);
            mixed.pipe(b.next("cam-b", t));
        }
        List<SparseCodes> aloneCodes = alone.codes().readValuesToList();
        List<SparseCodes> mixedA = mixed.codes().readValuesToList().stream()
                .filter(c -> c.streamId().equals("cam-a")).toList();
        assertEquals(6, mixedA.size());
        for (int t = 0; t < 6; t++) {
            assertArrayEquals(aloneCodes.get(t).toDense(), mixedA.get(t).toDense(), 0f,
                    "frame " + t + " of cam-a is coded from cam-a's own history whether or not cam-b interleaves");
        }
        TrajectoryState stateA = mixed.trajectories().get("cam-a");
        TrajectoryState stateB = mixed.trajectories().get("cam-b");
        assertEquals(5, stateA.frameIndex());
        assertEquals("cam-a", stateA.previous().streamId());
        assertEquals(4, stateA.beforePrevious().frameIndex());
        assertEquals("cam-b", stateB.previous().streamId());
    }

    @Test
    void theStateStoreHoldsTheLastTwoFramesAndAGapRestartsTheTrajectory() {
        Pipeline p = open(OPTIONS.withLearning(false), "gap");
        SyntheticFrames source = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 13);
        for (int t = 0; t < 3; t++) {
            p.pipe(source.next("cam", t));
        }
        List<SparseCodes> sent = p.codes().readValuesToList();
        TrajectoryState state = p.trajectories().get("cam");
        assertEquals(2, state.frameIndex());
        assertArrayEquals(sent.get(2).toDense(), state.previous().toDense(), 0f, "alpha_{t-1} = codes of frame 2");
        assertArrayEquals(sent.get(1).toDense(), state.beforePrevious().toDense(), 0f,
                "alpha_{t-2} = codes of frame 1");

        p.pipe(source.next("cam", 7));                  // frames 3..6 never arrived
        TrajectoryState after = p.trajectories().get("cam");
        assertEquals(7, after.frameIndex());
        assertNull(after.beforePrevious(), "a gap starts the trajectory afresh");
        assertTrue(Double.isNaN(p.metrics().readValuesToList().get(3).curvaturePixels()),
                "no curvature across a gap");
    }

    @Test
    void aModelOnTheModelTopicIsHotSwappedIntoInference() {
        Pipeline p = open(OPTIONS.withLearning(false), "swap");
        SyntheticFrames source = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 14);
        p.pipe(source.next("cam", 0));
        assertEquals(0, p.metrics().readValue().modelVersion());
        assertEquals(0, p.codes().readValue().modelVersion());
        assertTrue(p.embeddings().isEmpty(), "no beta before a model with P arrives");

        SmtModel published = plantedModel(7);
        for (ModelChunk chunk : ModelChunks.split(published)) {
            p.modelIn().pipeInput(ModelChunks.key(chunk.index()), chunk);
        }
        PatchFrame frame = source.next("cam", 10);      // a new trajectory: no history
        p.pipe(frame);
        FrameMetrics m = p.metrics().readValue();
        assertEquals(7, m.modelVersion(), "the next frame is coded by the published version");
        FrameInference.Result expected = new FrameInference(SmtTopologyTest.SMALL).infer(LayerModel.of(published),
                frame.patches(), null, null, true);
        assertArrayEquals(expected.codes(), p.codes().readValue().toDense(), 1e-5f, "codes under the swapped-in Phi");
        Embeddings beta = p.embeddings().readValue();
        assertEquals(SmtTopologyTest.SMALL.embeddingDim(), beta.dim());
        assertArrayEquals(expected.beta(), beta.beta(), 1e-5f, "beta = P alpha with the swapped-in P");
        assertEquals(expected.snrBetaDb(), m.snrBetaDb(), 1e-3, "g(beta) on frame 10 (a multiple of 10)");
    }

    @Test
    void theLearnerPublishesVersionsWithLineageAndSnapshotsThem() throws Exception {
        Path models = stateDir.resolve("models");
        Pipeline p = open(OPTIONS.withModelDir(models), "learn");
        SyntheticFrames source = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 15);
        for (int t = 0; t < 20; t++) {
            p.pipe(source.next("cam", t));
        }
        List<SmtModel> versions = p.publishedModels();
        assertEquals(List.of(1L, 2L, 3L, 4L), versions.stream().map(SmtModel::version).toList());
        for (SmtModel v : versions) {
            assertEquals(v.version() - 1, v.info().parentVersion());
            assertEquals(5 * v.version(), v.info().framesSeen());
            assertTrue(v.info().stat(ModelInfo.CODING_OBJECTIVE) > 0);
            assertTrue(Double.isFinite(v.info().stat(ModelInfo.SNR_DB)), "the learner's SNR over its window");
        }
        assertNull(versions.get(0).p(),
                "no P before the warm-up of " + SmtTopologyTest.SMALL.embeddingWarmup() + " frames");
        SmtModel last = versions.get(3);
        assertNotNull(last.p(), "P learned after the warm-up");
        double drift = last.info().stat(ModelInfo.CONSTRAINT_ERROR);
        assertTrue(drift >= 0 && Double.isFinite(drift), "drift of P V P^T from I before publication: " + drift);
        List<FrameMetrics> metrics = p.metrics().readValuesToList();
        assertEquals(3, metrics.get(19).modelVersion(), "inference follows the learner (v4 comes after frame 19)");
        assertTrue(Double.isFinite(metrics.get(19).curvatureBeta()), "beta curvature once P exists");
        assertEquals(List.of(1L, 2L, 3L, 4L), new ModelRepository(models).list().stream()
                .map(m -> m.version()).toList(), "one snapshot per version on disk");
        assertEquals(last.phi(), new ModelRepository(models).load(4).phi(), "the snapshot holds the published Phi");
    }

    /**
     * The frames learned after the last full window (the end of a replay) are published once nothing
     * has reached the learner for a while, and only then; with nothing new learned, nothing more is; and
     * the regular versions stay at multiples of the window, where the refits of P are.
     */
    @Test
    void framesLearnedSinceTheLastVersionArePublishedWhenTheLearnerIsIdle() {
        Pipeline p = open(OPTIONS, "idle", Instant.parse("2026-01-01T00:00:00Z"));
        SyntheticFrames source = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 20);
        for (int t = 0; t < 7; t++) {
            p.pipe(source.next("cam", t));
        }
        assertEquals(List.of(1L), p.publishedModels().stream().map(SmtModel::version).toList(), "after 5 frames");
        p.driver().advanceWallClockTime(LearnerProcessor.PUBLISH_WHEN_IDLE.minusMillis(500));
        assertTrue(p.publishedModels().isEmpty(), "not idle long enough yet");
        p.driver().advanceWallClockTime(Duration.ofMillis(500));
        List<SmtModel> idle = p.publishedModels();
        assertEquals(List.of(2L), idle.stream().map(SmtModel::version).toList(), "published when idle");
        assertEquals(7, idle.get(0).info().framesSeen(), "frames 5 and 6 are in it");
        p.driver().advanceWallClockTime(LearnerProcessor.PUBLISH_WHEN_IDLE.multipliedBy(3));
        assertTrue(p.publishedModels().isEmpty(), "nothing new learned, nothing published");
        for (int t = 7; t < 10; t++) {
            p.pipe(source.next("cam", t));
        }
        List<SmtModel> next = p.publishedModels();
        assertEquals(List.of(3L), next.stream().map(SmtModel::version).toList());
        assertEquals(10, next.get(0).info().framesSeen(), "the regular versions keep their step of 5 learned frames");
    }

    @Test
    void aDivergingUpdateIsRejectedAndTheLastGoodVersionStays() {
        Pipeline p = open(OPTIONS, "guard");
        SyntheticFrames source = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 16);
        for (int t = 0; t < 5; t++) {
            p.pipe(source.next("cam", t));
        }
        assertEquals(1, p.publishedModels().size());
        for (int t = 5; t < 10; t++) {                 // finite but 1000 times louder: the objective explodes
            PatchFrame frame = source.next("cam", t);
            float[] loud = frame.patches().clone();
            for (int k = 0; k < loud.length; k++) {
                loud[k] *= 1000f;
            }
            p.pipe(new PatchFrame(frame.streamId(), t, frame.captureTimeMs(), frame.frameSize(), frame.patchSize(),
                    frame.stride(), loud));
        }
        assertTrue(p.publishedModels().isEmpty(), "the diverging window publishes nothing");
        for (int t = 10; t < 15; t++) {
            p.pipe(source.next("cam", t));
        }
        List<SmtModel> next = p.publishedModels();
        assertEquals(1, next.size());
        assertEquals(2, next.get(0).version(), "versions stay consecutive");
        assertEquals(1, next.get(0).info().parentVersion(), "built on the last good version");
        assertEquals(1, next.get(0).info().rejectedUpdates(), "the rejection is counted");
        List<FrameMetrics> metrics = p.metrics().readValuesToList();
        assertEquals(1, metrics.get(14).modelVersion(), "inference kept the last good version meanwhile");
    }

    @Test
    void aRollbackPublishedByAnotherWriterIsWhereTheLearnerContinues() {
        Pipeline p = open(OPTIONS, "rollback");
        SyntheticFrames source = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 17);
        for (int t = 0; t < 5; t++) {
            p.pipe(source.next("cam", t));
        }
        assertEquals(List.of(1L), p.publishedModels().stream().map(SmtModel::version).toList());
        SmtModel rollback = plantedModel(10);
        for (ModelChunk chunk : ModelChunks.split(rollback)) {
            p.modelIn().pipeInput(ModelChunks.key(chunk.index()), chunk);
        }
        for (int t = 5; t < 10; t++) {
            p.pipe(source.next("cam", t));
        }
        List<SmtModel> next = p.publishedModels();
        assertEquals(1, next.size());
        assertEquals(11, next.get(0).version(), "numbered after the rollback, so followers take it");
        assertEquals(10, next.get(0).info().parentVersion(), "built on the rolled-back version");
        assertEquals(10, p.metrics().readValuesToList().get(5).modelVersion(), "inference switched at once");
    }

    /**
     * A learner that keeps up learns every frame; one whose frames waited longer than the bound skips
     * those of the stream it learned most and still learns those of the stream it learned least, and
     * the published version says how many of each arrived and were learned.
     */
    @Test
    void aLearnerBehindLearnsAFairSampleAcrossStreamsAndSaysSo() {
        Instant clock = Instant.parse("2026-01-01T00:00:00Z");
        Pipeline p = open(OPTIONS.withLearnerMaxLagMs(1000), "behind", clock);
        SyntheticFrames fastSource = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 18);
        SyntheticFrames slowSource = new SyntheticFrames(SmtTopologyTest.SMALL, 48, 19);
        FrameInference inference = new FrameInference(SmtTopologyTest.SMALL);
        long fresh = clock.toEpochMilli();
        long late = fresh - 5000;                       // waited 5 s: the learner is behind
        for (int t = 0; t < 6; t++) {
            p.learning().pipeInput("fast", sample(inference, fastSource.next("fast", t)), fresh);
        }
        for (int t = 6, s = 0; s < 4; s++) {
            p.learning().pipeInput("fast", sample(inference, fastSource.next("fast", t++)), late);
            p.learning().pipeInput("fast", sample(inference, fastSource.next("fast", t++)), late);
            p.learning().pipeInput("slow", sample(inference, slowSource.next("slow", s)), late);
        }
        List<SmtModel> versions = p.publishedModels();
        assertEquals(List.of(1L, 2L), versions.stream().map(SmtModel::version).toList(), "a version every 5 learned");
        ModelInfo info = versions.get(1).info();
        assertEquals(10, info.framesSeen(), "6 frames of the fast stream while in time, then the 4 of the slow one");
        assertEquals(18.0, info.stat(ModelInfo.FRAMES_ARRIVED));
        assertEquals(10.0, info.stat(ModelInfo.FRAMES_LEARNED));
        assertEquals(10.0 / 18, info.stat(ModelInfo.LEARNED_SHARE), 1e-12);
        assertEquals(14.0, info.stat(ModelInfo.FRAMES_ARRIVED + ModelInfo.PER_STREAM + "fast"));
        assertEquals(6.0, info.stat(ModelInfo.FRAMES_LEARNED + ModelInfo.PER_STREAM + "fast"),
                "fast skipped while behind");
        assertEquals(4.0, info.stat(ModelInfo.FRAMES_ARRIVED + ModelInfo.PER_STREAM + "slow"));
        assertEquals(4.0, info.stat(ModelInfo.FRAMES_LEARNED + ModelInfo.PER_STREAM + "slow"), "slow learned all");
        assertEquals(5.0, versions.get(0).info().stat(ModelInfo.FRAMES_ARRIVED), "version 1 after fast frames 0..4");
        double skipped = p.driver().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("skipped-frames-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
        assertEquals(8.0, skipped, "the skipped-frames metric counts the skipped fast frames");
    }

    /** A coded frame as inference sends it to the learner: codes of the seeded dictionary, version 0. */
    private static LearningSample sample(FrameInference inference, PatchFrame frame) {
        FrameInference.Result coded = inference.infer(LayerModel.initial(SmtTopologyTest.SMALL), frame.patches(), null,
                null, false);
        return new LearningSample(frame, SparseCodes.fromDense(frame.streamId(), frame.frameIndex(),
                coded.modelVersion(), SmtTopologyTest.SMALL.dictionarySize(), coded.codes()));
    }

    private static SmtModel plantedModel(long version) {
        var config = SmtTopologyTest.SMALL;
        FloatMatrix phi = Dictionary.random(config.patchDim(), config.dictionarySize(), 99).toMatrix();
        float[] p = new float[config.embeddingDim() * config.dictionarySize()];
        SplittableRandom random = new SplittableRandom(5);
        for (int k = 0; k < p.length; k++) {
            p[k] = (float) random.nextGaussian();
        }
        return new SmtModel(version, config, phi, new FloatMatrix(config.embeddingDim(), config.dictionarySize(), p),
                null, null, new ModelInfo(version - 1, 1L, 100, 0, "planted", Map.of()));
    }
}
