package org.smtstream.processor.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smtstream.model.wire.SparseCodes;

class FreshnessTest {

    @Test
    void shouldNeverSkipWithoutABound() {
        Freshness f = Freshness.NONE.judge(3_600_000, 0, 0);
        assertFalse(f.catchingUp());
        assertEquals(0, f.staleSkipped());
    }

    @Test
    void shouldSkipPastTheBoundAndResumeAtHalfOfIt() {
        Freshness f = Freshness.NONE.judge(1000, 0, 1000);
        assertFalse(f.catchingUp(), "exactly at the bound is still fresh");
        f = f.judge(1001, 10, 1000);
        assertTrue(f.catchingUp());
        f = f.judge(700, 11, 1000);
        assertTrue(f.catchingUp(), "younger, but still over half the bound");
        f = f.judge(900, 400, 1000);
        assertTrue(f.catchingUp(), "a stall made this one older: still catching up");
        f = f.judge(500, 401, 1000);
        assertFalse(f.catchingUp(), "half the bound: resume");
        assertEquals(3, f.staleSkipped());
    }

    @Test
    void shouldResumeAfterCatchingUpForAsLongAsTheBound() {
        // Ingest and Kafka take 600 ms, more than half the bound: the newest frames are never younger.
        Freshness f = Freshness.NONE.judge(1200, 5000, 1000).judge(900, 5001, 1000).judge(650, 5002, 1000);
        assertTrue(f.catchingUp());
        f = f.judge(640, 5999, 1000);
        assertTrue(f.catchingUp(), "not yet as long as the bound");
        f = f.judge(660, 6000, 1000);
        assertFalse(f.catchingUp(), "the newest frames reached: coding resumes instead of skipping forever");
        assertEquals(4, f.staleSkipped());
        assertEquals(0, f.catchUpSinceMs());
    }

    /**
     * A 30 frames/s camera and a processor that needs 100 ms a frame (skipping takes nothing), 50 ms
     * from capture to the processor, a bound of 1 s: every coded frame is within the bound, every
     * frame is coded or counted, the coded share is what the processor can take, and coded frames
     * come in runs of consecutive frames long enough to form trajectories.
     */
    @Test
    void shouldKeepLatencyBoundedAndCodeRunsOfConsecutiveFramesBehindAFasterCamera() {
        double frameMs = 1000.0 / 30;
        long transportMs = 50;
        long boundMs = 1000;
        int frames = 3000;
        Freshness f = Freshness.NONE;
        double clock = 0;
        List<Integer> runs = new ArrayList<>();
        int run = 0;
        long coded = 0;
        double worstAge = 0;
        for (int i = 0; i < frames; i++) {
            double arrival = i * frameMs + transportMs;
            clock = Math.max(clock, arrival);   // waits for a frame that has not arrived yet
            long age = Math.round(clock - i * frameMs);
            f = f.judge(age, Math.round(clock), boundMs);
            if (f.catchingUp()) {
                if (run > 0) {
                    runs.add(run);
                }
                run = 0;
                continue;
            }
            worstAge = Math.max(worstAge, age);
            coded++;
            run++;
            clock += 100;
        }
        assertEquals(frames, coded + f.staleSkipped(), "coded + skipped = arrived");
        assertTrue(worstAge <= boundMs, "worst age of a coded frame " + worstAge);
        assertEquals(frames / 3.0, coded, frames * 0.02, "the processor codes what it can: a third");
        double meanRun = runs.stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertTrue(meanRun >= 5, "consecutive frames per run: " + meanRun);
    }

    @Test
    void shouldRoundTripTheStateWithItsFreshnessAndReadTheCodesOnlyVersion() {
        SparseCodes codes = SparseCodes.fromDense("cam", 7, 2, 4, new float[] {0, 1.5f, 0, 0, 0, 0, 2, 0});
        TrajectoryState state = new TrajectoryState(7, codes, null, new Freshness(12, true, 840));
        TrajectoryState back = TrajectoryState.fromBytes(state.toBytes());
        assertEquals(state.freshness(), back.freshness());
        assertEquals(7, back.frameIndex());
        assertEquals(codes.toDense().length, back.previous().toDense().length);

        TrajectoryState skippedOnly = TrajectoryState.EMPTY.with(new Freshness(3, true, 900));
        TrajectoryState skippedBack = TrajectoryState.fromBytes(skippedOnly.toBytes());
        assertEquals(3, skippedBack.freshness().staleSkipped());
        assertFalse(skippedBack.continuesWith(0), "nothing remembered: no trajectory to continue");

        byte[] v2 = state.toBytes();
        byte[] v1 = Arrays.copyOf(v2, v2.length - 17);   // without the freshness
        v1[0] = 1;
        assertEquals(Freshness.NONE, TrajectoryState.fromBytes(v1).freshness(), "a state of the codes-only version");
    }
}
