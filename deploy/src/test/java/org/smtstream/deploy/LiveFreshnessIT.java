package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.smtstream.ingest.BundledClip;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.model.wire.PatchFrame;
import org.smtstream.processor.streams.ProcessorOptions;

/**
 * A live source faster than the processor, on a real broker: the bundled clip rendered as a lavfi
 * source at six times its pace (60 frames/s of real video, more than two cores code), with a
 * freshness bound. The processor must follow it in the present, and every frame published up to the
 * last one coded must be coded or counted as skipped.
 */
class LiveFreshnessIT {

    private static final long BOUND_MS = 1000;
    private static final int FRAMES = 450;
    /** A coded frame is at most the bound old when its coding starts; coding and a commit take the rest. */
    private static final long SLACK_MS = 1500;

    @Test
    void shouldFollowAFasterLiveSourceWithinTheBoundAndCountEverySkippedFrame() throws Exception {
        SourceSpec live = SourceSpec.lavfi("movie=filename=" + BundledClip.path() + ":loop=0");
        AllInOne.Settings settings = new AllInOne.Settings(SmtConfig.fast(), List.of(new AllInOne.Stream(live,
                "it-live")), 6, false, FRAMES, null, "127.0.0.1", 0, null, ProcessorOptions.defaults(), BOUND_MS);
        try (AllInOne pipeline = AllInOne.start(settings)) {
            IngestSummary ingest = pipeline.awaitIngest();
            long accounted = pipeline.metrics().awaitAccountedFor(ingest.framesPublished(), Duration.ofMinutes(3),
                    Duration.ofSeconds(10));
            List<FrameMetrics> coded = pipeline.metrics().received();
            List<PatchFrame> published = ClusterFixture.readAll(pipeline.bootstrapServers(), Topics.PATCHES.name(),
                    Topics.PATCHES.valueSerde().deserializer());
            long skipped = MetricsCollector.staleSkipped(coded);
            String summary = MetricsCollector.snrSummary(coded, 20) + "; " + MetricsCollector.rateSummary(coded)
                    + "; ingest " + ingest;
            System.out.println("LiveFreshnessIT: " + summary);

            assertEquals(ingest.framesPublished(), published.size(), "patch records: " + summary);
            assertTrue(skipped > 0, "60 frames/s is more than the processor codes, so frames are skipped: " + summary);
            FrameMetrics last = coded.get(coded.size() - 1);
            Set<Long> codedIndices = coded.stream().map(FrameMetrics::frameIndex).collect(Collectors.toSet());
            long publishedUpToLast = published.stream().filter(f -> f.frameIndex() <= last.frameIndex()).count();
            assertEquals(coded.size(), codedIndices.size(), "each frame coded once: " + summary);
            assertEquals(publishedUpToLast, coded.size() + last.staleSkipped(),
                    "every frame published up to the last one coded is coded or counted as stale: " + summary);
            assertTrue(accounted <= ingest.framesPublished(), "no frame counted twice: " + accounted);
            long late = coded.stream().filter(m -> m.latencyMs() > BOUND_MS + SLACK_MS).count();
            assertEquals(0, late, "frames coded later than the bound plus " + SLACK_MS + " ms: " + summary);
        }
    }
}
