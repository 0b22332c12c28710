package org.smtstream.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.Needles;
import org.smtstream.model.SmtModel;

class ModelCodecTest {

    /** Offset of the manifest JSON in the container. */
    private static final int MANIFEST_AT = 16;

    private static int manifestLength(byte[] encoded) {
        return ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
    }

    private static String manifestJson(byte[] encoded) {
        return new String(encoded, MANIFEST_AT, manifestLength(encoded), StandardCharsets.UTF_8);
    }

    private static ModelFormatException decodeFailure(byte[] data) {
        return assertThrows(ModelFormatException.class, () -> ModelCodec.decode(data));
    }

    @Test
    void shouldRoundTripEveryFloatBitForBitWithInfoAndConfig() {
        SmtModel in = TestModels.tiny(5);
        SmtModel out = ModelCodec.decode(ModelCodec.encode(in));
        assertEquals(5, out.version());
        assertEquals(in.config(), out.config());
        assertEquals(0.125, out.config().lambda());
        assertEquals(0.5, out.config().gamma0());
        for (FloatMatrix[] pair : new FloatMatrix[][] {{in.phi(), out.phi()}, {in.p(), out.p()}, {in.v(), out.v()},
            {in.meanActivity(), out.meanActivity()}, {in.needles(), out.needles()}}) {
            int[] expected = new int[pair[0].data().length];
            int[] actual = new int[pair[1].data().length];
            Arrays.setAll(expected, i -> Float.floatToRawIntBits(pair[0].data()[i]));
            Arrays.setAll(actual, i -> Float.floatToRawIntBits(pair[1].data()[i]));
            assertArrayEquals(expected, actual, "raw float bits (keeps -0.0 and subnormals)");
            assertEquals(pair[0].rows(), pair[1].rows());
        }
        assertEquals(in.info().parentVersion(), out.info().parentVersion());
        assertEquals(1_700_000_000_123L, out.info().createdAtMs());
        assertEquals(123_456, out.info().framesSeen());
        assertEquals(2, out.info().rejectedUpdates());
        assertEquals("after the walk, ü", out.info().note());
        assertEquals(12.5, out.info().stat(ModelInfo.SNR_DB));
        assertEquals(1e-7, out.info().stat(ModelInfo.CONSTRAINT_ERROR));
        assertTrue(Double.isNaN(out.info().stat(ModelInfo.EMBEDDING_OBJECTIVE)), "NaN stat survives");
        assertEquals(in.info().stats().keySet(), out.info().stats().keySet());
    }

    @Test
    void shouldRoundTripAModelWithOnlyADictionary() {
        SmtModel in = new SmtModel(0, TestModels.TINY, TestModels.fill(4, 3, 9), null, null, null, ModelInfo.fresh(0));
        SmtModel out = ModelCodec.decode(ModelCodec.encode(in));
        assertEquals(in.phi(), out.phi());
        assertNull(out.p());
        assertNull(out.v());
        assertNull(out.meanActivity());
        assertNull(out.needles());
        assertEquals(ModelInfo.NO_PARENT, out.info().parentVersion());
    }

    @Test
    void shouldLayOutHeaderManifestAndLittleEndianArrays() {
        SmtModel in = TestModels.tiny(5);
        byte[] encoded = ModelCodec.encode(in);
        assertEquals("SMTMODEL", new String(encoded, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN).getInt(8));
        String json = manifestJson(encoded);
        for (String field : new String[] {"\"formatVersion\":1", "\"version\":5", "\"parentVersion\":4",
            "\"smt.dictionarySize\":\"3\"", "\"dtype\":\"<f4\"", "\"shape\":[4,3]", "\"snrDb\":12.5"}) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        assertTrue(json.indexOf("\"name\":\"phi\"") < json.indexOf("\"name\":\"p\"")
                && json.indexOf("\"name\":\"p\"") < json.indexOf("\"name\":\"v\"")
                && json.indexOf("\"name\":\"v\"") < json.indexOf("\"name\":\"mean\"")
                && json.indexOf("\"name\":\"mean\"") < json.indexOf("\"name\":\"needles\""), json);
        ByteBuffer arrays = ByteBuffer.wrap(encoded, MANIFEST_AT + manifestLength(encoded), 4 * 12)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12; i++) {
            assertEquals(Float.floatToRawIntBits(in.phi().data()[i]), Float.floatToRawIntBits(arrays.getFloat()));
        }
        int arrayBytes = 4 * (12 + 6 + 9 + 3 + 3 * Needles.FIELDS);
        assertEquals(MANIFEST_AT + manifestLength(encoded) + arrayBytes, encoded.length);
    }

    @Test
    void shouldNameTheArrayWhoseChecksumFails() {
        byte[] encoded = ModelCodec.encode(TestModels.tiny(5));
        int vAt = MANIFEST_AT + manifestLength(encoded) + 4 * (12 + 6);
        encoded[vAt + 5] ^= 0x01;
        ModelFormatException e = decodeFailure(encoded);
        assertTrue(e.getMessage().startsWith("Checksum mismatch of array v in model 5"), e.getMessage());
    }

    @Test
    void shouldReportTruncationNamingTheArray() {
        byte[] encoded = ModelCodec.encode(TestModels.tiny(5));
        ModelFormatException e = decodeFailure(Arrays.copyOf(encoded, encoded.length - 1));
        assertTrue(e.getMessage().startsWith("Truncated model 5: array needles (3x5) needs 60 bytes, only 59 remain"),
                e.getMessage());
        e = decodeFailure(Arrays.copyOf(encoded, MANIFEST_AT + 10));
        assertTrue(e.getMessage().startsWith("Truncated model: the manifest needs"), e.getMessage());
        e = decodeFailure(Arrays.copyOf(encoded, 7));
        assertEquals("Truncated model: 7 bytes, shorter than the 16-byte header", e.getMessage());
    }

    @Test
    void shouldRejectBadMagicAndUnknownFormatVersions() {
        byte[] encoded = ModelCodec.encode(TestModels.tiny(5));
        byte[] badMagic = encoded.clone();
        badMagic[1] = 'X';
        assertTrue(decodeFailure(badMagic).getMessage().startsWith("Bad magic: not an SMT model"));
        byte[] future = encoded.clone();
        future[8] = 2;
        assertEquals("Unknown model format version 2 (this build reads version 1)", decodeFailure(future).getMessage());
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] encoded = ModelCodec.encode(TestModels.tiny(5));
        ModelFormatException e = decodeFailure(Arrays.copyOf(encoded, encoded.length + 3));
        assertEquals("Malformed model 5: 3 bytes after the last array", e.getMessage());
    }

    @Test
    void shouldRejectAManifestWhoseShapesDoNotFitTheConfiguration() {
        byte[] encoded = ModelCodec.encode(TestModels.tiny(5));
        String json = manifestJson(encoded).replace("\"smt.dictionarySize\":\"3\"", "\"smt.dictionarySize\":\"4\"");
        byte[] patched = withManifest(encoded, json);
        ModelFormatException e = decodeFailure(patched);
        assertEquals("Invalid model in model 5: phi is 4x3 but the configuration needs 4x4", e.getMessage());
    }

    @Test
    void shouldRejectMalformedManifestJson() {
        byte[] encoded = ModelCodec.encode(TestModels.tiny(5));
        ModelFormatException e = decodeFailure(withManifest(encoded, "{\"formatVersion\": 1, \"arrays\": ["));
        assertTrue(e.getMessage().startsWith("Malformed manifest in model"), e.getMessage());
    }

    /** The container with its manifest replaced by {@code json} and the same arrays. */
    private static byte[] withManifest(byte[] encoded, String json) {
        byte[] manifest = json.getBytes(StandardCharsets.UTF_8);
        int arraysAt = MANIFEST_AT + manifestLength(encoded);
        ByteBuffer buf = ByteBuffer.allocate(MANIFEST_AT + manifest.length + encoded.length - arraysAt)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(encoded, 0, 12).putInt(manifest.length).put(manifest).put(encoded, arraysAt, encoded.length - arraysAt);
        return buf.array();
    }
}
