package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smtstream.deploy.ClusterFixture.assertExactlyOnce;
import static org.smtstream.deploy.ClusterFixture.streamsOnDistinctPartitions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TaskMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.IngestJob;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.Pacing;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.model.wire.SparseCodes;
import org.smtstream.processor.layer.FrameInference;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.streams.ProcessorOptions;
import org.smtstream.processor.streams.SmtProcessor;
import org.smtstream.processor.streams.SmtTopology;

/**
 * Processors on a real broker: one stopped mid-stream and replaced by a fresh instance (whose
 * trajectory store must come back from the changelog), and two instances of one group sharing two
 * streams. Output is read committed, so exactly-once shows as "every frame once".
 */
class ProcessorRecoveryIT {

    private static final SmtConfig CONFIG = SmtConfig.fast();
    private static final String APP = "smt-it";

    @TempDir
    Path dir;

    @Test
    void aReplacedInstanceLosesNoFrameDuplicatesNoOutputAndContinuesTheTrajectories() throws Exception {
        int frames = 90;
        try (EmbeddedBroker broker = EmbeddedBroker.startTemporary()) {
            String bootstrap = broker.bootstrapServers();
            TopicSetup.ensureTopics(bootstrap, 1, (short) 1);
            ingest(bootstrap, "cam", frames);
            ProcessorOptions inferenceOnly = ProcessorOptions.defaults().withLearning(false);
            try (MetricsCollector metrics = MetricsCollector.start(bootstrap)) {
                try (SmtProcessor first = processor(bootstrap, inferenceOnly, "first")) {
                    first.start();
                    assertTrue(metrics.awaitCount(frames / 3, Duration.ofMinutes(3)) >= frames / 3,
                            "first instance runs");
                }   // a clean close mid-stream: the rest of the clip is still unprocessed
                int beforeRestart = metrics.received().size();
                assertTrue(beforeRestart < frames, "stopped mid-stream: " + beforeRestart + " of " + frames);
                try (SmtProcessor second = processor(bootstrap, inferenceOnly, "second")) {   // empty state dir
                    second.start();
                    assertEquals(frames, metrics.awaitCount(frames, Duration.ofMinutes(3)), "the second finishes");
                    Thread.sleep(2000);   // room for a duplicate to show up
                }
                assertExactlyOnce(metrics.received(), Map.of("cam", frames));
                System.out.printf("ProcessorRecoveryIT: first instance coded %d frames, the second %d%n",
                        beforeRestart, frames - beforeRestart);
            }
            // The codes equal a replica that coded the whole clip in one go with the same history,
            // including right after the restart, which would have started from zero without the store.
            List<PatchFrame> sent = ClusterFixture.readAll(bootstrap, Topics.PATCHES.name(),
                    Topics.PATCHES.valueSerde().deserializer());
            List<SparseCodes> coded = ClusterFixture.readAll(bootstrap, Topics.CODES.name(),
                    Topics.CODES.valueSerde().deserializer());
            assertEquals(frames, coded.size());
            FrameInference replica = new FrameInference(CONFIG);
            LayerModel model = LayerModel.initial(CONFIG);
            float[] previous = null;
            float[] beforePrevious = null;
            for (int t = 0; t < frames; t++) {
                FrameInference.Result expected =
                        replica.infer(model, sent.get(t).patches(), previous, beforePrevious, false);
                assertArrayEquals(expected.codes(), coded.get(t).toDense(), 2e-3f, "frame " + t);
                if (t == frames / 2) {
                    float[] fromZero = replica.infer(model, sent.get(t).patches(), null, null, false).codes();
                    assertTrue(maxDifference(fromZero, expected.codes()) > 2e-3,
                            "the history changes the codes, so the comparison can tell whether it was kept");
                }
                beforePrevious = previous;
                previous = expected.codes();
            }
        }
    }

    @Test
    void twoInstancesShareTheStreamsAndOneOfThemLearns() throws Exception {
        int frames = 40;
        String[] streams = streamsOnDistinctPartitions("cam-", 2);
        try (EmbeddedBroker broker = EmbeddedBroker.startTemporary()) {
            String bootstrap = broker.bootstrapServers();
            TopicSetup.ensureTopics(bootstrap, 2, (short) 1);
            ProcessorOptions options = ProcessorOptions.defaults().withPublishEvery(10);
            try (MetricsCollector metrics = MetricsCollector.start(bootstrap);
                 SmtProcessor a = processor(bootstrap, options, "a");
                 SmtProcessor b = processor(bootstrap, options, "b")) {
                a.start();
                b.start();
                ingest(bootstrap, streams[0], frames);
                ingest(bootstrap, streams[1], frames);
                assertEquals(2 * frames, metrics.awaitCount(2 * frames, Duration.ofMinutes(4)), "both streams coded");
                Thread.sleep(2000);
                assertExactlyOnce(metrics.received(), Map.of(streams[0], frames, streams[1], frames));

                Set<TopicPartition> ofA = activePartitions(a);
                Set<TopicPartition> ofB = activePartitions(b);
                System.out.println("ProcessorRecoveryIT: instance a owns " + ofA + ", instance b owns " + ofB);
                assertTrue(owns(ofA, Topics.PATCHES.name()) && owns(ofB, Topics.PATCHES.name()),
                        "each instance codes one partition of smt.patches");
                int learners = (owns(ofA, Topics.LEARNING.name()) ? 1 : 0)
                        + (owns(ofB, Topics.LEARNING.name()) ? 1 : 0);
                assertEquals(1, learners, "exactly one learner in the group");
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                while ((a.models().latestVersion() < 1 || b.models().latestVersion() < 1)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(a.models().latestVersion() >= 1 && b.models().latestVersion() >= 1,
                        "both instances follow the published versions: a v" + a.models().latestVersion()
                                + ", b v" + b.models().latestVersion());
            }
        }
    }

    private SmtProcessor processor(String bootstrap, ProcessorOptions options, String name) {
        return new SmtProcessor(CONFIG, options, SmtTopology.streamsConfig(APP, bootstrap, dir.resolve(name), 1));
    }

    private static void ingest(String bootstrap, String stream, int frames) {
        IngestSettings settings = IngestSettings.of(BundledClip.path(), stream).withPacing(Pacing.UNLIMITED)
                .withMaxFrames(frames);
        assertEquals(frames, new IngestJob(CONFIG, settings, KafkaClients.producerProps(bootstrap)).call()
                .framesPublished());
    }

    private static Set<TopicPartition> activePartitions(SmtProcessor processor) {
        Set<TopicPartition> out = new HashSet<>();
        processor.kafkaStreams().metadataForLocalThreads().forEach(thread ->
                thread.activeTasks().stream().map(TaskMetadata::topicPartitions).forEach(out::addAll));
        return out;
    }

    private static boolean owns(Set<TopicPartition> partitions, String topic) {
        return partitions.stream().anyMatch(p -> p.topic().equals(topic));
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int k = 0; k < a.length; k++) {
            max = Math.max(max, Math.abs(a[k] - b[k]));
        }
        return max;
    }
}
