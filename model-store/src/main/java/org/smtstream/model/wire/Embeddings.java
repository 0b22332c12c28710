package org.smtstream.model.wire;

import java.nio.ByteBuffer;
import org.smtstream.model.wire.WireFormat.RecordType;

/**
 * Embeddings beta = P alpha of every patch of one frame, patch-major ({@code beta[i * dim + k]}).
 * The record on {@code smt.embeddings}.
 *
 * <pre>
 * header (4)  'S' 'M' type=3 version=1
 * streamId str, frameIndex i64, modelVersion i64, dim i32, beta f32[] (patchCount * dim)
 * </pre>
 */
public record Embeddings(String streamId, long frameIndex, long modelVersion, int dim, float[] beta) {

    public static final int FORMAT_VERSION = 1;

    public Embeddings {
        if (dim < 1 || beta.length % dim != 0) {
            throw new IllegalArgumentException(beta.length + " values are not a whole number of "
                    + dim + "-dimensional embeddings");
        }
    }

    public int patchCount() {
        return beta.length / dim;
    }

    public byte[] toBytes() {
        ByteBuffer buf = WireFormat.allocate(RecordType.EMBEDDINGS, FORMAT_VERSION,
                WireFormat.stringBytes(streamId) + 20 + WireFormat.floatsBytes(beta));
        WireFormat.putString(buf, streamId);
        buf.putLong(frameIndex).putLong(modelVersion).putInt(dim);
        WireFormat.putFloats(buf, beta);
        return buf.array();
    }

    public static Embeddings fromBytes(byte[] data) {
        return WireFormat.decode(data, RecordType.EMBEDDINGS, FORMAT_VERSION, buf -> new Embeddings(
                WireFormat.getString(buf), buf.getLong(), buf.getLong(), buf.getInt(), WireFormat.getFloats(buf)));
    }
}
