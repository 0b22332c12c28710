package org.smtstream.model.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Little-endian float32 arrays and the SHA-256 digests that identify them in manifests and chunks. */
final class Float32 {

    private static final int BLOCK_FLOATS = 16 * 1024;

    private Float32() {
    }

    /** SHA-256, as lower-case hex, of the little-endian float32 bytes of {@code values}. */
    static String sha256(float[] values) {
        MessageDigest digest = newDigest();
        ByteBuffer block = ByteBuffer.allocate(4 * BLOCK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += BLOCK_FLOATS) {
            int count = Math.min(BLOCK_FLOATS, values.length - from);
            block.clear();
            block.asFloatBuffer().put(values, from, count);
            digest.update(block.array(), 0, 4 * count);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256, as lower-case hex, of {@code length} bytes of {@code data} from {@code offset}. */
    static String sha256(byte[] data, int offset, int length) {
        MessageDigest digest = newDigest();
        digest.update(data, offset, length);
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] data) {
        return sha256(data, 0, data.length);
    }

    /** Writes {@code values} at the buffer's position, which must be little-endian, and advances it. */
    static void put(ByteBuffer littleEndian, float[] values) {
        littleEndian.asFloatBuffer().put(values);
        littleEndian.position(littleEndian.position() + 4 * values.length);
    }

    /** Reads {@code count} floats from the buffer's position, which must be little-endian, and advances it. */
    static float[] get(ByteBuffer littleEndian, int count) {
        float[] values = new float[count];
        littleEndian.asFloatBuffer().get(values);
        littleEndian.position(littleEndian.position() + 4 * count);
        return values;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
