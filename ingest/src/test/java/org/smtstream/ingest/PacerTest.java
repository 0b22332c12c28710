package org.smtstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long MS = 1_000_000L;
    private static final long FRAME_US = 100_000L;

    @Test
    void shouldFollowTimestampsAtNativeSpeed() {
        Pacer pacer = new Pacer(Pacing.NATIVE, 10);
        assertEquals(0, pacer.delayNanos(0, 0), "first frame");
        assertEquals(100 * MS, pacer.delayNanos(FRAME_US, 0), "second frame, clock unchanged");
        assertEquals(150 * MS, pacer.delayNanos(2 * FRAME_US, 50 * MS), "third frame, 50 ms later");
    }

    @Test
    void shouldDivideWaitsBySpeed() {
        Pacer pacer = new Pacer(Pacing.times(4), 10);
        pacer.delayNanos(0, 0);
        assertEquals(25 * MS, pacer.delayNanos(FRAME_US, 0), "one 100 ms frame at 4x");
        assertEquals(50 * MS, pacer.delayNanos(2 * FRAME_US, 0), "two frames at 4x");
    }

    @Test
    void shouldStepOneNominalPeriodWhenTimestampsGoBack() {
        // A looped file starts its timestamps at 0 again; media time must keep going forward.
        Pacer pacer = new Pacer(Pacing.NATIVE, 20);
        pacer.delayNanos(0, 0);
        pacer.delayNanos(FRAME_US, 0);
        assertEquals(150 * MS, pacer.delayNanos(0, 0), "restarted timestamp, one 50 ms period later");
        assertEquals(200 * MS, pacer.delayNanos(0, 0), "repeated timestamp, one more period later");
    }

    @Test
    void shouldRestartScheduleInsteadOfBurstingAfterStall() {
        Pacer pacer = new Pacer(Pacing.NATIVE, 10);
        pacer.delayNanos(0, 0);
        assertEquals(0, pacer.delayNanos(FRAME_US, 5_000 * MS), "frame due 4.9 s ago");
        assertEquals(100 * MS, pacer.delayNanos(2 * FRAME_US, 5_000 * MS), "next frame one period after the stall");
    }

    @Test
    void shouldNeverWaitWhenUnlimited() {
        Pacer pacer = new Pacer(Pacing.UNLIMITED, 10);
        pacer.delayNanos(0, 0);
        assertEquals(0, pacer.delayNanos(60_000_000L, 0), "a frame a minute later in media time");
    }
}
