package org.smtstream.model.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.SmtModel;

/**
 * A whole model as one byte array: what travels, split into chunks, on {@code smt.model}.
 *
 * <pre>
 * offset 0    8 bytes  magic "SMTMODEL" (ASCII)
 * offset 8    u32      format version ({@link ModelManifest#FORMAT_VERSION})
 * offset 12   u32      L, byte length of the manifest
 * offset 16   L bytes  {@link ModelManifest} as UTF-8 JSON
 * offset 16+L          each array of the manifest, in manifest order, row-major float32
 * </pre>
 * Integers and floats are little-endian. Nothing may follow the last array. {@link #decode} checks
 * the header, every array's shape and SHA-256 before it returns a model, and reports any problem
 * as a {@link ModelFormatException} that names it.
 */
public final class ModelCodec {

    static final byte[] MAGIC = "SMTMODEL".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_BYTES = MAGIC.length + 8;

    private ModelCodec() {
    }

    public static byte[] encode(SmtModel model) {
        Map<String, FloatMatrix> arrays = ModelManifest.namedArrays(model);
        byte[] manifest = ModelManifest.of(model, false).toJson(false);
        long total = HEADER_BYTES + (long) manifest.length;
        for (FloatMatrix m : arrays.values()) {
            total += 4L * m.data().length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Model " + model.version() + " needs " + total
                    + " bytes, more than one Java array holds");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(ModelManifest.FORMAT_VERSION).putInt(manifest.length).put(manifest);
        arrays.values().forEach(m -> Float32.put(buf, m.data()));
        return buf.array();
    }

    public static SmtModel decode(byte[] data) {
        if (data == null || data.length < HEADER_BYTES) {
            throw new ModelFormatException("Truncated model: " + (data == null ? "no data" : data.length + " bytes")
                    + ", shorter than the " + HEADER_BYTES + "-byte header");
        }
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        buf.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new ModelFormatException("Bad magic: not an SMT model (expected 'SMTMODEL', found '"
                    + new String(magic, StandardCharsets.ISO_8859_1).replaceAll("\\p{Cntrl}", "?") + "')");
        }
        int formatVersion = buf.getInt();
        if (formatVersion != ModelManifest.FORMAT_VERSION) {
            throw new ModelFormatException("Unknown model format version " + Integer.toUnsignedString(formatVersion)
                    + " (this build reads version " + ModelManifest.FORMAT_VERSION + ")");
        }
        long manifestBytes = Integer.toUnsignedLong(buf.getInt());
        if (manifestBytes > buf.remaining()) {
            throw new ModelFormatException("Truncated model: the manifest needs " + manifestBytes + " bytes, only "
                    + buf.remaining() + " remain");
        }
        ModelManifest manifest = ModelManifest.fromJson(
                Arrays.copyOfRange(data, buf.position(), buf.position() + (int) manifestBytes), "model");
        buf.position(buf.position() + (int) manifestBytes);
        String source = "model " + manifest.version();
        manifest.validate(source, false);

        Map<String, FloatMatrix> arrays = new LinkedHashMap<>();
        for (ModelManifest.ArrayEntry a : manifest.arrays()) {
            if (a.dataBytes() > buf.remaining()) {
                throw new ModelFormatException("Truncated " + source + ": array " + a.name() + " (" + a.rows() + "x"
                        + a.cols() + ") needs " + a.dataBytes() + " bytes, only " + buf.remaining() + " remain");
            }
            String actual = Float32.sha256(data, buf.position(), (int) a.dataBytes());
            if (!actual.equals(a.sha256())) {
                throw new ModelFormatException("Checksum mismatch of array " + a.name() + " in " + source
                        + ": manifest sha256 " + a.sha256() + ", data " + actual);
            }
            arrays.put(a.name(), new FloatMatrix(a.rows(), a.cols(), Float32.get(buf, a.rows() * a.cols())));
        }
        if (buf.hasRemaining()) {
            throw new ModelFormatException("Malformed " + source + ": " + buf.remaining()
                    + " bytes after the last array");
        }
        return manifest.toModel(arrays, source);
    }
}
