package org.smtstream.model.wire;

import java.nio.ByteBuffer;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.wire.WireFormat.RecordType;

/**
 * All patches of one whitened frame: the record on {@code smt.patches}, keyed by stream id.
 * Patches are p x p, row-major, in raster order of their origins ({@link PatchGeometry}).
 *
 * <pre>
 * header (4)  'S' 'M' type=1 version=1
 * dtype    u8    0 = float32
 * streamId str
 * frameIndex i64, captureTimeMs i64
 * frameSize i32, patchSize i32, stride i32
 * patches  f32[] (count = patchCount * patchSize^2)
 * </pre>
 */
public record PatchFrame(String streamId, long frameIndex, long captureTimeMs,
                         int frameSize, int patchSize, int stride, float[] patches) {

    public static final int FORMAT_VERSION = 1;
    static final byte DTYPE_FLOAT32 = 0;

    public PatchFrame {
        if (streamId == null || streamId.isEmpty()) {
            throw new IllegalArgumentException("streamId must not be empty");
        }
        PatchGeometry geometry = new PatchGeometry(frameSize, patchSize, stride);
        int expected = geometry.patchCount() * geometry.patchDim();
        if (patches == null || patches.length != expected) {
            throw new IllegalArgumentException("Expected " + expected + " patch values for frame " + frameSize
                    + ", patch " + patchSize + ", stride " + stride + " but got "
                    + (patches == null ? "null" : patches.length));
        }
    }

    /** Where the patches lie in the frame. */
    public PatchGeometry geometry() {
        return new PatchGeometry(frameSize, patchSize, stride);
    }

    /** Patch origins per side of the frame. */
    public int gridSide() {
        return geometry().side();
    }

    public int patchCount() {
        return geometry().patchCount();
    }

    public int patchDim() {
        return patchSize * patchSize;
    }

    public byte[] toBytes() {
        ByteBuffer buf = WireFormat.allocate(RecordType.PATCH_FRAME, FORMAT_VERSION,
                1 + WireFormat.stringBytes(streamId) + 16 + 12 + WireFormat.floatsBytes(patches));
        buf.put(DTYPE_FLOAT32);
        WireFormat.putString(buf, streamId);
        buf.putLong(frameIndex).putLong(captureTimeMs);
        buf.putInt(frameSize).putInt(patchSize).putInt(stride);
        WireFormat.putFloats(buf, patches);
        return buf.array();
    }

    public static PatchFrame fromBytes(byte[] data) {
        return WireFormat.decode(data, RecordType.PATCH_FRAME, FORMAT_VERSION, buf -> {
            byte dtype = buf.get();
            if (dtype != DTYPE_FLOAT32) {
                throw new IllegalArgumentException("unsupported dtype " + dtype + " (expected 0 = float32)");
            }
            return new PatchFrame(WireFormat.getString(buf), buf.getLong(), buf.getLong(),
                    buf.getInt(), buf.getInt(), buf.getInt(), WireFormat.getFloats(buf));
        });
    }
}
