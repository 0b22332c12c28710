package org.smtstream.processor.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smtstream.model.ModelInfo;

/**
 * The learner's sampling, driven by a simulated clock: frames of several streams arrive at their own
 * rates, the learner takes {@link #LEARN_MS} per learned frame and nothing per skipped one, and each
 * frame's lag is the time it waited for the learner.
 */
class LearningSamplerTest {

    private static final long MAX_LAG_MS = 1000;
    private static final long LEARN_MS = 50;        // the learner manages 20 frames/s

    /** One frame on smt.learning: its stream and when it was sent. */
    private record Arrival(String stream, long sentMs) {
    }

    /** What a run through the sampler did. */
    private record Run(List<Long> lags, List<Boolean> learned) {
    }

    /** Frames of each stream every {@code periodMs} for {@code seconds}, merged in time order. */
    private static List<Arrival> arrivals(long seconds, Map<String, Long> periods) {
        List<Arrival> all = new ArrayList<>();
        periods.forEach((stream, period) -> {
            for (long t = 0; t < seconds * 1000; t += period) {
                all.add(new Arrival(stream, t));
            }
        });
        all.sort((a, b) -> Long.compare(a.sentMs(), b.sentMs()));
        return all;
    }

    private static Run drive(LearningSampler sampler, List<Arrival> arrivals) {
        long now = 0;
        List<Long> lags = new ArrayList<>();
        List<Boolean> learned = new ArrayList<>();
        for (Arrival a : arrivals) {
            now = Math.max(now, a.sentMs());
            long lag = now - a.sentMs();
            boolean learn = sampler.admit(a.stream(), lag);
            if (learn) {
                now += LEARN_MS;
            }
            lags.add(lag);
            learned.add(learn);
        }
        return new Run(lags, learned);
    }

    @Test
    void aLearnerThatKeepsUpLearnsEveryFrame() {
        LearningSampler sampler = new LearningSampler(MAX_LAG_MS);
        Run run = drive(sampler, arrivals(20, Map.of("a", 100L, "b", 200L)));   // 15 frames/s for 20/s
        assertTrue(run.learned().stream().allMatch(l -> l), "nothing skipped");
        assertEquals(300, sampler.arrived());
        assertEquals(300, sampler.learned());
        assertFalse(sampler.behind());
    }

    @Test
    void theCountsAddUpPerStreamAndInTotal() {
        LearningSampler sampler = new LearningSampler(MAX_LAG_MS);
        drive(sampler, arrivals(30, Map.of("a", 20L, "b", 50L, "c", 200L)));   // 75 frames/s for 20/s
        long arrived = 0;
        long learned = 0;
        for (String s : List.of("a", "b", "c")) {
            LearningSampler.Counts c = sampler.stream(s);
            assertEquals(c.arrived(), c.learned() + c.skipped(), s + ": arrived = learned + skipped");
            assertTrue(c.skipped() >= 0);
            arrived += c.arrived();
            learned += c.learned();
        }
        assertEquals(1500 + 600 + 150, arrived);
        assertEquals(arrived, sampler.arrived());
        assertEquals(learned, sampler.learned());
        assertTrue(learned < arrived, "the learner fell behind and skipped: learned " + learned + " of " + arrived);
        assertNull(sampler.stream("d"));

        Map<String, Double> stats = sampler.withStats(Map.of(ModelInfo.CONSTRAINT_ERROR, 1e-12));
        assertEquals(1e-12, stats.get(ModelInfo.CONSTRAINT_ERROR), "the caller's stats are kept");
        assertEquals((double) arrived, stats.get(ModelInfo.FRAMES_ARRIVED));
        assertEquals((double) learned, stats.get(ModelInfo.FRAMES_LEARNED));
        assertEquals((double) learned / arrived, stats.get(ModelInfo.LEARNED_SHARE), 1e-15);
        assertEquals((double) sampler.stream("c").learned(),
                stats.get(ModelInfo.FRAMES_LEARNED + ModelInfo.PER_STREAM + "c"));
        assertEquals(150.0, stats.get(ModelInfo.FRAMES_ARRIVED + ModelInfo.PER_STREAM + "c"));

        LearningSampler resumed = new LearningSampler(MAX_LAG_MS);
        resumed.restore(new ModelInfo(0, 1L, learned, 0, "", stats));
        assertEquals(arrived, resumed.arrived(), "a restarted learner continues the counts of its first version");
        assertEquals(learned, resumed.learned());
        assertEquals(sampler.stream("b").learned(), resumed.stream("b").learned());
        assertEquals(600, resumed.stream("b").arrived());
    }

    /**
     * A stream of 50 frames/s and one of 5, for a learner of 20: sampling in proportion to arrivals
     * would give the slow stream 1 learned frame in 11 (about 1.8 of its 5 per second); taking turns
     * it gets nearly all of its frames, and the fast one the rest of the learner's capacity.
     */
    @Test
    void aFastStreamDoesNotCrowdOutASlowOne() {
        LearningSampler sampler = new LearningSampler(MAX_LAG_MS);
        Run run = drive(sampler, arrivals(60, Map.of("fast", 20L, "slow", 200L)));
        LearningSampler.Counts fast = sampler.stream("fast");
        LearningSampler.Counts slow = sampler.stream("slow");
        double slowShare = (double) slow.learned() / slow.arrived();
        assertTrue(slowShare > 0.8, "the slow stream learned " + slow.learned() + " of " + slow.arrived());
        double learnedPerSecond = sampler.learned() / 60.0;
        assertTrue(learnedPerSecond > 15 && learnedPerSecond <= 20.5, "the learner stays busy at its capacity of 20/s: "
                + learnedPerSecond);
        assertTrue(fast.learned() > slow.learned(), "the fast stream takes the rest: " + fast.learned());
        long worst = run.lags().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(worst <= MAX_LAG_MS + 2 * LEARN_MS, "the lag stays near its bound: " + worst + " ms");
    }

    /** Behind, a single stream is learned in runs of consecutive frames, which give second differences. */
    @Test
    void behindASingleStreamIsLearnedInRuns() {
        LearningSampler sampler = new LearningSampler(MAX_LAG_MS);
        Run run = drive(sampler, arrivals(60, Map.of("cam", 25L)));            // 40 frames/s for 20/s
        int runs = 0;
        int inRuns = 0;
        int length = 0;
        for (boolean learned : run.learned()) {
            if (learned) {
                length++;
            } else if (length > 0) {
                runs++;
                inRuns += length;
                length = 0;
            }
        }
        assertTrue(runs > 0, "the learner skipped at times");
        assertTrue((double) inRuns / runs >= 3, "learned runs are long enough for second differences: "
                + inRuns + " frames in " + runs + " runs");
        double share = (double) sampler.learned() / sampler.arrived();
        assertTrue(share > 0.4 && share < 0.55, "about its capacity, 20 of 40 frames/s: " + share);
    }

    @Test
    void shouldRejectANonPositiveBound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LearningSampler(0));
        assertEquals("Invalid learner lag bound: 0 ms (must be > 0)", e.getMessage());
    }
}
