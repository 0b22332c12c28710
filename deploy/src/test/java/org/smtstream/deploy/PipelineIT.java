package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.processor.streams.ProcessorOptions;

/**
 * End to end on a real broker: the bundled (MPEG-4 encoded) clip goes through ingest, Kafka and the
 * processor; every frame must come out exactly once and the online dictionary must learn.
 */
class PipelineIT {

    /** Frames to push: enough for online learning to show, few enough to run in well under a minute. */
    private static final int FRAMES = 300;
    /** Frames averaged at the start and at the end of the run. */
    private static final int WINDOW = 30;
    /** How much higher the SNR of the last frames must be than that of the first ones. */
    private static final double MIN_SNR_GAIN_DB = 2.0;

    @Test
    void shouldProcessEveryFrameExactlyOnceAndLearnTheDictionary() throws Exception {
        AllInOne.Settings settings = new AllInOne.Settings(SmtConfig.fast(), null, "it-walk", 0, false, FRAMES,
                null, "127.0.0.1", 0, null, ProcessorOptions.defaults());
        try (AllInOne pipeline = AllInOne.start(settings)) {
            IngestSummary ingest = pipeline.awaitIngest();
            assertEquals(FRAMES, ingest.framesPublished(), "frames published by ingest: " + ingest);

            int received = pipeline.metrics().awaitCount(FRAMES, Duration.ofMinutes(5));
            assertEquals(FRAMES, received, "metrics records within 5 minutes");
            // Give a duplicate (a replayed transaction) the time to show up before counting.
            Thread.sleep(3000);
            List<FrameMetrics> metrics = pipeline.metrics().received();

            Set<Long> indices = metrics.stream().map(FrameMetrics::frameIndex)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(FRAMES, metrics.size(), "one output per frame, no duplicates");
            assertEquals(LongStream.range(0, FRAMES).boxed().collect(Collectors.toSet()), indices,
                    "every frame index 0.." + (FRAMES - 1) + " exactly once");
            assertTrue(metrics.stream().allMatch(m -> m.streamId().equals("it-walk")), "stream ids kept");

            double first = MetricsCollector.meanSnr(metrics.subList(0, WINDOW));
            double last = MetricsCollector.meanSnr(metrics.subList(FRAMES - WINDOW, FRAMES));
            System.out.println("PipelineIT: " + MetricsCollector.snrSummary(metrics, WINDOW));
            assertTrue(last > first + MIN_SNR_GAIN_DB, String.format(
                    "SNR should rise by > %.1f dB with online learning: first %d frames %.2f dB, "
                            + "last %d frames %.2f dB",
                    MIN_SNR_GAIN_DB, WINDOW, first, WINDOW, last));
        }
    }
}
