package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smtstream.ingest.IngestJob;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.Pacing;
import org.smtstream.ingest.preprocess.PreprocessingOptions;
import org.smtstream.ingest.preprocess.PreprocessingOptions.Whitening;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.processor.streams.ModelRegistry;
import org.smtstream.processor.streams.ProcessorOptions;
import org.smtstream.processor.streams.SmtTopology;

/**
 * Ingest cuts a frame into patches and the processor puts them back together for its WHITENED
 * preview: the two must agree on where every patch lies, pixel for pixel, whether patches tile the
 * frame or overlap (the processor then averages the copies of a pixel, which for an exact cut are
 * all equal) and whether or not they cover it to the edge.
 */
class PatchGeometryAcrossModulesTest {

    private static final String STREAM = "geometry";

    @TempDir
    Path stateDir;

    private static SmtConfig config(int stride) {
        return new SmtConfig("test", 32, 8, stride, 12.0, 48, 8, 0.2, SmtConfig.Solver.FISTA, 50, 1e-3, 0.5,
                0.0, 0.0, 0.05, 10, 0, 0.3, 300, 1, 42L);
    }

    private static <V> V value(ProducerRecord<byte[], byte[]> record, Topics.Topic<String, V> topic) {
        return topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
    }

    @ParameterizedTest(name = "32 x 32 frame, 8 x 8 patches, stride {0}: patches cover {1} x {1}")
    @CsvSource({"8, 32", "4, 32", "5, 28"})
    void shouldAssembleInTheProcessorExactlyWhatIngestCut(int stride, int coveredSide) {
        SmtConfig config = config(stride);
        PreprocessingOptions fourier = PreprocessingOptions.DEFAULT.withWhitening(Whitening.FOURIER);
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        IngestSettings settings = IngestSettings.of(SourceSpec.lavfi("testsrc2=size=64x48:rate=25:duration=1"), STREAM)
                .withPacing(Pacing.UNLIMITED).withMaxFrames(1).withPreprocessing(fourier);
        new IngestJob(config, settings, producer).call();
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        PatchFrame patches = sent.stream().filter(r -> r.topic().equals(Topics.PATCHES.name()))
                .map(r -> value(r, Topics.PATCHES)).findFirst().orElseThrow();
        FrameImage input = sent.stream().filter(r -> r.topic().equals(Topics.PREVIEW.name()))
                .map(r -> value(r, Topics.PREVIEW)).findFirst().orElseThrow();
        float[] whitened = new Preprocessor(config, fourier).whiten(input.pixels()).whitened();

        float[] assembled = processorPreview(config, patches);

        PatchGeometry geometry = config.geometry();
        assertEquals(geometry, patches.geometry(), "ingest publishes the configuration's geometry");
        assertEquals(coveredSide, (geometry.side() - 1) * stride + geometry.patchSize());
        assertArrayEquals(coveredPixels(whitened, geometry.frameSize(), coveredSide), assembled, 0f,
                "the processor's picture is the whitened frame where patches lie, 0 elsewhere");
    }

    /** The WHITENED preview of the processor for one frame. */
    private float[] processorPreview(SmtConfig config, PatchFrame frame) {
        ProcessorOptions options = ProcessorOptions.defaults().withPreviewIntervalMs(0);
        Properties props = SmtTopology.streamsConfig("smt-geometry-test", "localhost:9", stateDir, 1);
        try (TopologyTestDriver driver = new TopologyTestDriver(SmtTopology.build(config, options,
                new ModelRegistry()), props)) {
            TestInputTopic<String, PatchFrame> in = driver.createInputTopic(Topics.PATCHES.name(),
                    Topics.PATCHES.keySerde().serializer(), Topics.PATCHES.valueSerde().serializer());
            TestOutputTopic<String, FrameImage> previews = driver.createOutputTopic(Topics.PREVIEW.name(),
                    Topics.PREVIEW.keySerde().deserializer(), Topics.PREVIEW.valueSerde().deserializer());
            in.pipeInput(frame.streamId(), frame);
            return previews.readValuesToList().stream().filter(i -> i.kind() == FrameImage.Kind.WHITENED)
                    .findFirst().orElseThrow().pixels();
        }
    }

    /** The top-left {@code covered} x {@code covered} pixels of the frame, the others 0. */
    private static float[] coveredPixels(float[] frame, int size, int covered) {
        float[] out = new float[frame.length];
        for (int r = 0; r < covered; r++) {
            System.arraycopy(frame, r * size, out, r * size, covered);
        }
        return out;
    }
}
