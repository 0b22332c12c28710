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
 * @param frameIndex     index of the newest frame remembered (alpha_{t-1} belongs to it)
 * @param previous       alpha_{t-1}
 * @param beforePrevious alpha_{t-2}, or null when only one frame is remembered
 */
record TrajectoryState(long frameIndex, SparseCodes previous, SparseCodes beforePrevious) {

    private static final byte FORMAT_VERSION = 1;

    /** True when {@code nextFrame} directly follows what is remembered. */
    boolean continuesWith(long nextFrame) {
        return frameIndex == nextFrame - 1;
    }

    /** The state after coding the next frame: its codes become alpha_{t-1}. */
    TrajectoryState advance(long nextFrame, SparseCodes codes, boolean continues) {
        return new TrajectoryState(nextFrame, codes, continues ? previous : null);
    }

    static Serde<TrajectoryState> serde() {
        return Serdes.serdeFrom((topic, state) -> state == null ? null : state.toBytes(),
                (topic, data) -> data == null ? null : fromBytes(data));
    }

    byte[] toBytes() {
        byte[] newest = previous.toBytes();
        byte[] older = beforePrevious == null ? new byte[0] : beforePrevious.toBytes();
        return ByteBuffer.allocate(1 + 8 + 4 + newest.length + 4 + older.length)
                .put(FORMAT_VERSION).putLong(frameIndex)
                .putInt(newest.length).put(newest)
                .putInt(older.length).put(older)
                .array();
    }

    static TrajectoryState fromBytes(byte[] data) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(data);
            byte version = buf.get();
            if (version != FORMAT_VERSION) {
                throw new SerializationException("Unsupported trajectory state version " + version);
            }
            long frame = buf.getLong();
            SparseCodes newest = SparseCodes.fromBytes(bytes(buf));
            byte[] older = bytes(buf);
            return new TrajectoryState(frame, newest, older.length == 0 ? null : SparseCodes.fromBytes(older));
        } catch (RuntimeException e) {
            throw e instanceof SerializationException s ? s
                    : new SerializationException("Malformed trajectory state: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(ByteBuffer buf) {
        byte[] out = new byte[buf.getInt()];
        buf.get(out);
        return out;
    }
}
