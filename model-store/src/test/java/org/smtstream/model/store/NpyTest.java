package org.smtstream.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;

class NpyTest {

    private static final String NO_NUMPY = "python3 with numpy not found: NPY interop with numpy not checked";

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripAndAlignTheHeaderTo64Bytes() throws IOException {
        FloatMatrix m = TestModels.fill(3, 5, 4);
        Path file = dir.resolve("m.npy");
        Npy.write(file, m);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(0, (bytes.length - 4 * 15) % 64, "data starts on a 64-byte boundary");
        String header = new String(bytes, 10, bytes.length - 4 * 15 - 10, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 5), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(m, Npy.read(file));
    }

    @Test
    void shouldRejectOtherDtypesAndShapesNamingTheFile() {
        byte[] f8 = header("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", 8);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Npy.fromBytes(f8, "a.npy"));
        assertEquals("a.npy: unsupported dtype '<f8' (expected '<f4', little-endian float32)", e.getMessage());
        byte[] oneD = header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 12);
        e = assertThrows(ModelFormatException.class, () -> Npy.fromBytes(oneD, "b.npy"));
        assertEquals("b.npy: expected a 2-D array, found shape (3,)", e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> Npy.fromBytes("PK\3\4 a zip".getBytes(), "c.npy"));
        assertEquals("c.npy is not an NPY file (bad magic)", e.getMessage());
    }

    @Test
    void shouldReadFortranOrderAsRowMajor() {
        // Column-major 2x3 [[1, 2, 3], [4, 5, 6]] is stored 1, 4, 2, 5, 3, 6.
        byte[] h = header("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 0);
        ByteBuffer buf = ByteBuffer.allocate(h.length + 24).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(h);
        for (float v : new float[] {1, 4, 2, 5, 3, 6}) {
            buf.putFloat(v);
        }
        assertEquals(new FloatMatrix(2, 3, new float[] {1, 2, 3, 4, 5, 6}), Npy.fromBytes(buf.array(), "f.npy"));
    }

    /** A version 1.0 NPY file with this header text and {@code dataBytes} zero bytes of data. */
    private static byte[] header(String dict, int dataBytes) {
        String text = dict + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + text.length() + dataBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length());
        buf.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return buf.array();
    }

    @Test
    void shouldBeLoadableByNumpy() throws Exception {
        Assumptions.assumeTrue(numpyAvailable(), NO_NUMPY);
        SmtModel model = TestModels.model(SmtConfig.fast(), 21, false);
        Path versionDir = new ModelRepository(dir).save(model);
        for (String name : new String[] {"phi", "p"}) {
            FloatMatrix expected = "phi".equals(name) ? model.phi() : model.p();
            List<String> out = python("import numpy as np, sys\n"
                    + "a = np.load(sys.argv[1])\n"
                    + "print(a.dtype.str, a.shape[0], a.shape[1], a.flags['C_CONTIGUOUS'])\n"
                    + "print(repr(float(a.astype(np.float64).sum())))\n"
                    + "print(repr(float(a[0, 0])), repr(float(a[-1, -1])), repr(float(a[1, 7])))\n",
                    versionDir.resolve(name + ".npy").toString());
            assertEquals("<f4 " + expected.rows() + " " + expected.cols() + " True", out.get(0));
            double sum = 0;
            for (float v : expected.data()) {
                sum += v;
            }
            double numpySum = Double.parseDouble(out.get(1));
            assertEquals(sum, numpySum, 1e-9 * Math.max(1, Math.abs(sum)), name + " sum");
            String[] corners = out.get(2).split(" ");
            assertEquals(expected.get(0, 0), Float.parseFloat(corners[0]), 0f, name + "[0, 0]");
            assertEquals(expected.get(expected.rows() - 1, expected.cols() - 1), Float.parseFloat(corners[1]), 0f);
            assertEquals(expected.get(1, 7), Float.parseFloat(corners[2]), 0f, name + "[1, 7]");
        }
    }

    /** A 3-D array from chunks (frames): the header's shape, the data in C order, numpy's view of it. */
    @Test
    void shouldWriteAThreeDimensionalArrayFromChunks() throws Exception {
        List<float[]> frames = List.of(new float[] {0, 1, 2, 3, 4, 5}, new float[] {6, 7, 8, 9, 10, 11});
        Path file = dir.resolve("x.npy");
        Npy.write(file, new int[] {2, 3, 2}, frames);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(0, (bytes.length - 4 * 12) % 64, "data starts on a 64-byte boundary");
        String header = new String(bytes, 10, bytes.length - 4 * 12 - 10, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 2), }"), header);
        ByteBuffer data = ByteBuffer.wrap(bytes, bytes.length - 4 * 12, 4 * 12).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12; i++) {
            assertEquals(i, data.getFloat(), 0f, "value " + i + " in C order");
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no partial file left");
        }
    }

    @Test
    void shouldWriteThreeDimensionalArraysThatNumpyLoads() throws Exception {
        Assumptions.assumeTrue(numpyAvailable(), NO_NUMPY);
        Path file = dir.resolve("x.npy");
        Npy.write(file, new int[] {2, 3, 2}, List.of(new float[] {0, 1, 2, 3, 4, 5}, new float[] {6, 7, 8, 9, 10, 11}));
        assertEquals(List.of("(2, 3, 2) 9.0"), python("import numpy as np, sys\n"
                + "a = np.load(sys.argv[1])\n"
                + "print(a.shape, float(a[1, 1, 1]))\n", file.toString()));
    }

    @Test
    void shouldRejectChunksThatDoNotFillTheShapeAndKeepTheOldFile() throws IOException {
        Path file = dir.resolve("x.npy");
        Files.writeString(file, "kept");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.write(file, new int[] {2, 4}, List.of(new float[] {1, 2, 3})));
        assertEquals("Shape [2, 4] does not match 3 values in 1 chunks", e.getMessage());
        assertEquals("kept", Files.readString(file));
    }

    @Test
    void shouldReadWhatNumpySaves() throws Exception {
        Assumptions.assumeTrue(numpyAvailable(), NO_NUMPY);
        Path c = dir.resolve("c.npy");
        Path f = dir.resolve("f.npy");
        python("import numpy as np, sys\n"
                + "a = (np.arange(12, dtype='<f4').reshape(3, 4) * np.float32(0.1) - np.float32(1)).astype('<f4')\n"
                + "np.save(sys.argv[1], a)\n"
                + "np.save(sys.argv[2], np.asfortranarray(a))\n", c.toString(), f.toString());
        float[] expected = new float[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = i * 0.1f - 1f;
        }
        assertEquals(new FloatMatrix(3, 4, expected), Npy.read(c));
        assertEquals(new FloatMatrix(3, 4, expected), Npy.read(f), "Fortran-ordered file read as row-major");
    }

    private static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a python3 script with arguments; returns its output lines, failing on a non-zero exit. */
    private static List<String> python(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, p.exitValue(), "python3 failed:\n" + out);
        return out.lines().toList();
    }
}
