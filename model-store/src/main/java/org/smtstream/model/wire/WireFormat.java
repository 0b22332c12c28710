package org.smtstream.model.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The common header of every binary record and the little-endian primitives they are built from.
 *
 * <pre>
 * offset 0  2 bytes  magic 'S' 'M'
 * offset 2  1 byte   record type (see {@link RecordType})
 * offset 3  1 byte   format version of that record type
 * offset 4  ...      record body, little-endian
 * </pre>
 * Strings are a uint16 byte length followed by UTF-8; float arrays are an int32 count followed by
 * float32 values; byte arrays an int32 count followed by the bytes. A reader rejects a wrong magic, a wrong type or an
 * unknown version with a message naming what it found, so such a record can be routed to the dead-letter queue.
 */
public final class WireFormat {

    static final byte MAGIC_0 = 'S';
    static final byte MAGIC_1 = 'M';
    static final int HEADER_BYTES = 4;

    /** Record types; the code is the byte on the wire. */
    public enum RecordType {
        PATCH_FRAME(1), SPARSE_CODES(2), EMBEDDINGS(3), FRAME_METRICS(4), FRAME_IMAGE(5), MODEL_CHUNK(6),
        LEARNING_SAMPLE(7);

        final byte code;

        RecordType(int code) {
            this.code = (byte) code;
        }
    }

    private WireFormat() {
    }

    static ByteBuffer allocate(RecordType type, int version, int bodyBytes) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC_0).put(MAGIC_1).put(type.code).put((byte) version);
        return buf;
    }

    /** Checks the header and returns a buffer positioned at the body. */
    static ByteBuffer open(byte[] data, RecordType type, int supportedVersion) {
        if (data == null || data.length < HEADER_BYTES) {
            throw new SerializationException("Malformed " + type + " record: "
                    + (data == null ? "null" : data.length + " bytes") + ", shorter than the 4-byte header");
        }
        if (data[0] != MAGIC_0 || data[1] != MAGIC_1) {
            throw new SerializationException(String.format(
                    "Malformed %s record: bad magic 0x%02x%02x (expected 'SM')", type, data[0], data[1]));
        }
        if (data[2] != type.code) {
            throw new SerializationException("Malformed " + type + " record: record type " + data[2]
                    + " (expected " + type.code + ")");
        }
        if (data[3] != supportedVersion) {
            throw new UnsupportedVersionException("Unsupported " + type + " format version " + data[3]
                    + " (this build reads version " + supportedVersion + ")");
        }
        return ByteBuffer.wrap(data, HEADER_BYTES, data.length - HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int stringBytes(String s) {
        return 2 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    static void putString(ByteBuffer buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new SerializationException("String too long for the wire: " + b.length + " bytes");
        }
        buf.putShort((short) b.length).put(b);
    }

    static String getString(ByteBuffer buf) {
        int len = Short.toUnsignedInt(buf.getShort());
        byte[] b = new byte[len];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static int floatsBytes(float[] values) {
        return 4 + 4 * values.length;
    }

    static void putFloats(ByteBuffer buf, float[] values) {
        buf.putInt(values.length);
        buf.asFloatBuffer().put(values);
        buf.position(buf.position() + 4 * values.length);
    }

    static float[] getFloats(ByteBuffer buf) {
        int count = getCount(buf, 4);
        float[] values = new float[count];
        buf.asFloatBuffer().get(values);
        buf.position(buf.position() + 4 * count);
        return values;
    }

    static int bytesBytes(byte[] values) {
        return 4 + values.length;
    }

    static void putBytes(ByteBuffer buf, byte[] values) {
        buf.putInt(values.length).put(values);
    }

    static byte[] getBytes(ByteBuffer buf) {
        byte[] values = new byte[getCount(buf, 1)];
        buf.get(values);
        return values;
    }

    static int intsBytes(int[] values) {
        return 4 + 4 * values.length;
    }

    static void putInts(ByteBuffer buf, int[] values) {
        buf.putInt(values.length);
        buf.asIntBuffer().put(values);
        buf.position(buf.position() + 4 * values.length);
    }

    static int[] getInts(ByteBuffer buf) {
        int count = getCount(buf, 4);
        int[] values = new int[count];
        buf.asIntBuffer().get(values);
        buf.position(buf.position() + 4 * count);
        return values;
    }

    private static int getCount(ByteBuffer buf, int elementBytes) {
        int count = buf.getInt();
        if (count < 0 || (long) count * elementBytes > buf.remaining()) {
            throw new SerializationException("Malformed record: array of " + count
                    + " elements does not fit the " + buf.remaining() + " remaining bytes");
        }
        return count;
    }

    /** Decodes with {@code reader}, turning truncation into a {@link SerializationException}. */
    static <T> T decode(byte[] data, RecordType type, int version, Function<ByteBuffer, T> reader) {
        ByteBuffer buf = open(data, type, version);
        try {
            T value = reader.apply(buf);
            if (buf.hasRemaining()) {
                throw new SerializationException("Malformed " + type + " record: " + buf.remaining()
                        + " trailing bytes");
            }
            return value;
        } catch (BufferUnderflowException e) {
            throw new SerializationException("Malformed " + type + " record: truncated", e);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Malformed " + type + " record: " + e.getMessage(), e);
        }
    }
}
