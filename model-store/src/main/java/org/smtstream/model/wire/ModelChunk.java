package org.smtstream.model.wire;

import java.nio.ByteBuffer;
import org.smtstream.model.wire.WireFormat.RecordType;

/**
 * One piece of an encoded model version: the record on the compacted topic {@code smt.model}, keyed
 * by its index so that compaction keeps the newest chunk of each index. The version travels in the
 * value, so a reader can tell which chunks belong together.
 *
 * @param version    model version this chunk belongs to
 * @param index      position of this chunk, 0 to count - 1
 * @param count      chunks of this version
 * @param totalBytes length of the whole encoded model
 * @param sha256     lower-case hex SHA-256 of the whole encoded model
 * @param payload    bytes {@code [index * chunkSize, ...)} of the encoded model
 *
 * <pre>
 * header (4)  'S' 'M' type=6 version=1
 * version i64, index i32, count i32, totalBytes i32, sha256 str (64 hex chars), payload u8[]
 * </pre>
 */
public record ModelChunk(long version, int index, int count, int totalBytes, String sha256, byte[] payload) {

    public static final int FORMAT_VERSION = 1;

    public ModelChunk {
        if (version < 0 || count < 1 || index < 0 || index >= count || totalBytes < 0) {
            throw new IllegalArgumentException("Invalid model chunk: version " + version + ", index " + index
                    + " of " + count + ", total " + totalBytes + " bytes");
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("Invalid model chunk sha256: '" + sha256 + "' (expected 64 hex digits)");
        }
        if (payload == null || payload.length > totalBytes) {
            throw new IllegalArgumentException("Invalid model chunk payload: "
                    + (payload == null ? "null" : payload.length + " bytes") + " of a " + totalBytes + "-byte model");
        }
    }

    public byte[] toBytes() {
        ByteBuffer buf = WireFormat.allocate(RecordType.MODEL_CHUNK, FORMAT_VERSION,
                8 + 3 * 4 + WireFormat.stringBytes(sha256) + WireFormat.bytesBytes(payload));
        buf.putLong(version).putInt(index).putInt(count).putInt(totalBytes);
        WireFormat.putString(buf, sha256);
        WireFormat.putBytes(buf, payload);
        return buf.array();
    }

    public static ModelChunk fromBytes(byte[] data) {
        return WireFormat.decode(data, RecordType.MODEL_CHUNK, FORMAT_VERSION, buf -> new ModelChunk(
                buf.getLong(), buf.getInt(), buf.getInt(), buf.getInt(), WireFormat.getString(buf),
                WireFormat.getBytes(buf)));
    }

    @Override
    public String toString() {
        return "ModelChunk[version=" + version + ", " + index + "/" + count + ", " + payload.length + " of "
                + totalBytes + " bytes]";
    }
}
