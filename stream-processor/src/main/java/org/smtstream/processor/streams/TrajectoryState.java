package org.smtstream.processor.streams;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.smtstream.model.wire.SparseCodes;

/**
 * What inference remembers of one stream between frames, in the changelogged state store: the
 * codes of the last two frames at every patch location (alpha_{t-1}, alpha_{t-2}), which give the
 * prediction of eq. 3.4 and the warm start. Kept sparse, as on {@code smt.codes}: a few percent of
 * the atoms are active, so a frame's codes are tens of kilobytes instead of B N floats.
 *
 * The stream's {@link Freshness} is kept beside them, so its count of skipped frames survives a
 * restart or a move to another instance.
 *
 * @param frameIndex     index of the newest frame remembered (alpha_{t-1} belongs to it), -1 for none
 * @param previous       alpha_{t-1}, or null when no frame is remembered (every frame so far was skipped)
 * @param beforePrevious alpha_{t-2}, or null when at most one frame is remembered
 * @param freshness      what the stream's freshness policy has skipped, and whether it is catching up
 */
record TrajectoryState(long frameIndex, SparseCodes previous, SparseCodes beforePrevious, Freshness freshness) {

    /** Version 2 adds the freshness; version 1 (codes only) is still read, as a stream that skipped nothing. */
    private static final byte FORMAT_VERSION = 2;
    private static final byte CODES_ONLY_VERSION = 1;

    /** A stream with nothing remembered yet. */
    static final TrajectoryState EMPTY = new TrajectoryState(-1, null, null, Freshness.NONE);

    /** The state of {@code stored}, or {@link #EMPTY} for a stream not seen before. */
    static TrajectoryState orEmpty(TrajectoryState stored) {
        return stored == null ? EMPTY : stored;
    }

    /** True when {@code nextFrame} directly follows what is remembered. */
    boolean continuesWith(long nextFrame) {
        return previous != null && frameIndex == nextFrame - 1;
    }

    /**
     * The state after coding the next frame: its codes become alpha_{t-1}, and alpha_{t-1} becomes
     * alpha_{t-2} when the frame continues the trajectory.
     */
    TrajectoryState advance(long nextFrame, SparseCodes codes, Freshness after) {
        return new TrajectoryState(nextFrame, codes, continuesWith(nextFrame) ? previous : null, after);
    }

    /** The same codes with another freshness: after a skipped frame. */
    TrajectoryState with(Freshness after) {
        return new TrajectoryState(frameIndex, previous, beforePrevious, after);
    }

    static Serde<TrajectoryState> serde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : state.toBytes(),
                (topic, data) -> data == null ? null : fromBytes(data));
    }

    byte[] toBytes() {
        byte[] newest = previous == null ? new byte[0] : previous.toBytes();
        byte[] older = beforePrevious == null ? new byte[0] : beforePrevious.toBytes();
        return ByteBuffer.allocate(1 + 8 + 4 + newest.length + 4 + older.length + 8 + 1 + 8)
                .put(FORMAT_VERSION).putLong(frameIndex)
                .putInt(newest.length).put(newest)
                .putInt(older.length).put(older)
                .putLong(freshness.staleSkipped()).put((byte) (freshness.catchingUp() ? 1 : 0))
                .putLong(freshness.catchUpSinceMs())
                .array();
    }

    static TrajectoryState fromBytes(byte[] data) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(data);
            byte version = buf.get();
            if (version != FORMAT_VERSION && version != CODES_ONLY_VERSION) {
                throw new SerializationException("Unsupported trajectory state version " + version);
            }
            long frame = buf.getLong();
            SparseCodes newest = codes(bytes(buf));
            SparseCodes older = codes(bytes(buf));
            Freshness freshness = version == CODES_ONLY_VERSION ? Freshness.NONE
                    : new Freshness(buf.getLong(), buf.get() != 0, buf.getLong());
            return new TrajectoryState(frame, newest, older, freshness);
        } catch (RuntimeException e) {
            throw e instanceof SerializationException s ? s
                    : new SerializationException("Malformed trajectory state: " + e.getMessage(), e);
        }
    }

    private static SparseCodes codes(byte[] data) {
        return data.length == 0 ? null : SparseCodes.fromBytes(data);
    }

    private static byte[] bytes(ByteBuffer buf) {
        byte[] out = new byte[buf.getInt()];
        buf.get(out);
        return out;
    }
}
