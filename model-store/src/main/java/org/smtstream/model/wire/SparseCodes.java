package org.smtstream.model.wire;

import java.nio.ByteBuffer;
import org.smtstream.model.wire.WireFormat.RecordType;

/**
 * Non-negative sparse codes alpha of every patch of one frame, in compressed sparse row form:
 * the non-zeros of patch i are {@code indices/values[rowStart[i] .. rowStart[i+1])}.
 * The record on {@code smt.codes}.
 *
 * <pre>
 * header (4)  'S' 'M' type=2 version=1
 * streamId str, frameIndex i64, modelVersion i64, dictionarySize i32
 * rowStart i32[] (patchCount + 1), indices i32[], values f32[]
 * </pre>
 */
public record SparseCodes(String streamId, long frameIndex, long modelVersion, int dictionarySize,
                          int[] rowStart, int[] indices, float[] values) {

    public static final int FORMAT_VERSION = 1;

    public SparseCodes {
        if (rowStart == null || rowStart.length < 1 || rowStart[0] != 0) {
            throw new IllegalArgumentException("rowStart must start with 0");
        }
        if (indices.length != values.length || rowStart[rowStart.length - 1] != indices.length) {
            throw new IllegalArgumentException("rowStart, indices and values disagree: last row ends at "
                    + rowStart[rowStart.length - 1] + ", " + indices.length + " indices, " + values.length + " values");
        }
        for (int i = 1; i < rowStart.length; i++) {
            if (rowStart[i] < rowStart[i - 1]) {
                throw new IllegalArgumentException("rowStart must be non-decreasing at " + i);
            }
        }
        for (int index : indices) {
            if (index < 0 || index >= dictionarySize) {
                throw new IllegalArgumentException("atom index " + index + " outside [0, " + dictionarySize + ")");
            }
        }
    }

    public int patchCount() {
        return rowStart.length - 1;
    }

    /** Dense codes, patch-major: {@code dense[i * dictionarySize + j] = alpha_j} of patch i. */
    public float[] toDense() {
        float[] dense = new float[patchCount() * dictionarySize];
        for (int i = 0; i < patchCount(); i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                dense[i * dictionarySize + indices[k]] = values[k];
            }
        }
        return dense;
    }

    /** Sparse form of patch-major dense codes, keeping entries that are not zero. */
    public static SparseCodes fromDense(String streamId, long frameIndex, long modelVersion,
                                        int dictionarySize, float[] dense) {
        int patches = dense.length / dictionarySize;
        int nnz = 0;
        for (float v : dense) {
            if (v != 0f) {
                nnz++;
            }
        }
        int[] rowStart = new int[patches + 1];
        int[] indices = new int[nnz];
        float[] values = new float[nnz];
        int k = 0;
        for (int i = 0; i < patches; i++) {
            for (int j = 0; j < dictionarySize; j++) {
                float v = dense[i * dictionarySize + j];
                if (v != 0f) {
                    indices[k] = j;
                    values[k++] = v;
                }
            }
            rowStart[i + 1] = k;
        }
        return new SparseCodes(streamId, frameIndex, modelVersion, dictionarySize, rowStart, indices, values);
    }

    public byte[] toBytes() {
        ByteBuffer buf = WireFormat.allocate(RecordType.SPARSE_CODES, FORMAT_VERSION,
                WireFormat.stringBytes(streamId) + 20 + WireFormat.intsBytes(rowStart)
                        + WireFormat.intsBytes(indices) + WireFormat.floatsBytes(values));
        WireFormat.putString(buf, streamId);
        buf.putLong(frameIndex).putLong(modelVersion).putInt(dictionarySize);
        WireFormat.putInts(buf, rowStart);
        WireFormat.putInts(buf, indices);
        WireFormat.putFloats(buf, values);
        return buf.array();
    }

    public static SparseCodes fromBytes(byte[] data) {
        return WireFormat.decode(data, RecordType.SPARSE_CODES, FORMAT_VERSION, buf -> new SparseCodes(
                WireFormat.getString(buf), buf.getLong(), buf.getLong(), buf.getInt(),
                WireFormat.getInts(buf), WireFormat.getInts(buf), WireFormat.getFloats(buf)));
    }
}
