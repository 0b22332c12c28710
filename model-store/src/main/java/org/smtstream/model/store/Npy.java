package org.smtstream.model.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.smtstream.model.FloatMatrix;

/**
 * Little-endian float32 arrays in NumPy's {@code .npy} format, so {@code np.load} reads stored models
 * (2-D) and exported patches (3-D) directly. This is hand-written because model-store deliberately
 * has no ND4J dependency, which keeps the web view and other light consumers free of native libraries.
 * Reads are 2-D only.
 *
 * <p>Writes format 1.0 with {@code 'descr': '<f4', 'fortran_order': False}; reads format 1.0, 2.0
 * and 3.0 with dtype {@code <f4}, in C or Fortran order (as {@code np.save} writes a transposed view).
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy aligns the start of the data to 64 bytes. */
    private static final int ALIGNMENT = 64;
    private static final int BLOCK_FLOATS = 64 * 1024;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Writes {@code matrix} to {@code file}, replacing it, and forces it to disk. */
    public static void write(Path file, FloatMatrix matrix) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch, matrix);
            ch.force(true);
        }
    }

    /** Writes the header and the data of {@code matrix}, streaming the data in blocks. */
    private static void write(WritableByteChannel ch, FloatMatrix matrix) throws IOException {
        writeFully(ch, ByteBuffer.wrap(header(matrix.rows(), matrix.cols())));
        writeData(ch, matrix.data());
    }

    /** Writes {@code data} as little-endian float32, in blocks. */
    private static void writeData(WritableByteChannel ch, float[] data) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(4 * BLOCK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < data.length; from += BLOCK_FLOATS) {
            int count = Math.min(BLOCK_FLOATS, data.length - from);
            block.clear();
            block.asFloatBuffer().put(data, from, count);
            block.limit(4 * count);
            writeFully(ch, block);
        }
    }

    /**
     * Writes a C-order float32 array of any shape whose data are {@code chunks} one after the other (one
     * per frame, say), streamed. It is written beside {@code file} and then moved onto it, so a failed
     * write never leaves a truncated file under that name.
     *
     * @throws IllegalArgumentException when the chunks do not hold exactly the shape's number of values
     */
    public static void write(Path file, int[] shape, List<float[]> chunks) throws IOException {
        long size = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
        long values = chunks.stream().mapToLong(c -> c.length).sum();
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 0) || size != values) {
            throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " does not match "
                    + values + " values in " + chunks.size() + " chunks");
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(header(shape)));
            for (float[] chunk : chunks) {
                writeData(ch, chunk);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a 2-D {@code <f4} array; any problem is a {@link ModelFormatException} naming the file. */
    public static FloatMatrix read(Path file) throws IOException {
        return fromBytes(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses a whole {@code .npy} file.
     *
     * @param source the file name, for error messages
     */
    public static FloatMatrix fromBytes(byte[] bytes, String source) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < MAGIC.length + 4 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ModelFormatException(source + " is not an NPY file (bad magic"
                    + (bytes.length < MAGIC.length + 4 ? ", only " + bytes.length + " bytes" : "") + ")");
        }
        buf.position(MAGIC.length);
        int major = buf.get();
        buf.get();
        long headerLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buf.getShort());
        } else if ((major == 2 || major == 3) && buf.remaining() >= 4) {
            headerLength = Integer.toUnsignedLong(buf.getInt());
        } else {
            throw new ModelFormatException(source + ": unsupported NPY format version " + major + " (reads 1, 2, 3)");
        }
        if (headerLength > buf.remaining()) {
            throw new ModelFormatException(source + " is truncated: the NPY header needs " + headerLength
                    + " bytes, only " + buf.remaining() + " remain");
        }
        String header = new String(bytes, buf.position(), (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        buf.position(buf.position() + (int) headerLength);

        String descr = find(DESCR, header, source, "descr");
        if (!ModelManifest.DTYPE.equals(descr)) {
            throw new ModelFormatException(source + ": unsupported dtype '" + descr + "' (expected '"
                    + ModelManifest.DTYPE + "', little-endian float32)");
        }
        boolean fortranOrder = "True".equals(find(FORTRAN, header, source, "fortran_order"));
        int[] shape = parseShape(find(SHAPE, header, source, "shape"), source);

        long expected = 4L * shape[0] * shape[1];
        if (buf.remaining() != expected) {
            throw new ModelFormatException(source
                    + (buf.remaining() < expected ? " is truncated" : " has trailing bytes")
                    + ": shape (" + shape[0] + ", " + shape[1] + ") needs " + expected + " data bytes, found "
                    + buf.remaining());
        }
        float[] data = Float32.get(buf, shape[0] * shape[1]);
        return fortranOrder
                ? transposeFromColumnMajor(shape[0], shape[1], data)
                : new FloatMatrix(shape[0], shape[1], data);
    }

    private static byte[] header(int... shape) {
        String dims = shape.length == 1 ? shape[0] + ","
                : String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList());
        String dict = "{'descr': '" + ModelManifest.DTYPE + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int preamble = MAGIC.length + 2 + 2;
        int padded = (preamble + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        String text = dict + " ".repeat(padded - preamble - dict.length() - 1) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        buf.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return buf.array();
    }

    private static String find(Pattern pattern, String header, String source, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new ModelFormatException(source + ": NPY header lacks '" + key + "': " + header.strip());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, String source) {
        String[] parts = text.split(",");
        int[] dims = Arrays.stream(parts).map(String::strip).filter(s -> !s.isEmpty())
                .mapToInt(s -> parseDim(s, source)).toArray();
        if (dims.length != 2) {
            throw new ModelFormatException(source + ": expected a 2-D array, found shape (" + text.strip() + ")");
        }
        if ((long) dims[0] * dims[1] > Integer.MAX_VALUE / 4) {
            throw new ModelFormatException(source + ": shape (" + text.strip() + ") is too large");
        }
        return dims;
    }

    private static int parseDim(String s, String source) {
        try {
            int d = Integer.parseInt(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
            if (d < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ModelFormatException(source + ": invalid dimension '" + s + "' in the NPY shape");
        }
    }

    private static FloatMatrix transposeFromColumnMajor(int rows, int cols, float[] columnMajor) {
        float[] rowMajor = new float[columnMajor.length];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                rowMajor[r * cols + c] = columnMajor[c * rows + r];
            }
        }
        return new FloatMatrix(rows, cols, rowMajor);
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
