package org.smtstream.model.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.smtstream.model.Topics;

class WireRecordsTest {

    private static final Random RANDOM = new Random(7);

    private static float[] randomFloats(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) RANDOM.nextGaussian();
        }
        return v;
    }

    private static PatchFrame patchFrame() {
        // 20x20 frame, 8x8 patches, stride 6: 3x3 grid of 64-pixel patches.
        return new PatchFrame("cam-ü", 42L, 1_700_000_000_123L, 20, 8, 6, randomFloats(9 * 64));
    }

    private static <T> T roundTrip(Serde<T> serde, T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    @Test
    void shouldRoundTripPatchFrames() {
        PatchFrame in = patchFrame();
        PatchFrame out = roundTrip(Topics.PATCHES.valueSerde(), in);
        assertEquals(in.streamId(), out.streamId());
        assertEquals(in.frameIndex(), out.frameIndex());
        assertEquals(in.captureTimeMs(), out.captureTimeMs());
        assertEquals(3, out.gridSide());
        assertEquals(9, out.patchCount());
        assertArrayEquals(in.patches(), out.patches());
    }

    @Test
    void shouldWritePatchesAsLittleEndianFloatsAfterTheHeader() {
        byte[] bytes = patchFrame().toBytes();
        assertEquals('S', bytes[0]);
        assertEquals('M', bytes[1]);
        assertEquals(WireFormat.RecordType.PATCH_FRAME.code, bytes[2]);
        assertEquals(PatchFrame.FORMAT_VERSION, bytes[3]);
        int streamIdBytes = "cam-ü".getBytes(StandardCharsets.UTF_8).length;
        int expected = 4 + 1 + 2 + streamIdBytes + 8 + 8 + 4 * 3 + 4 + 4 * 9 * 64;
        assertEquals(expected, bytes.length, "header + body size");
    }

    @Test
    void shouldRoundTripSparseCodesThroughDenseForm() {
        float[] dense = new float[3 * 5];
        dense[1] = 0.5f;
        dense[4] = 2f;
        dense[2 * 5 + 3] = 1.25f;
        SparseCodes codes = SparseCodes.fromDense("s", 3, 9, 5, dense);
        assertArrayEquals(new int[] {0, 2, 2, 3}, codes.rowStart());
        SparseCodes out = roundTrip(Topics.CODES.valueSerde(), codes);
        assertArrayEquals(dense, out.toDense());
        assertEquals(9, out.modelVersion());
    }

    @Test
    void shouldRejectSparseCodesWithIndicesOutsideTheDictionary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCodes("s", 0, 0, 4, new int[] {0, 1}, new int[] {4}, new float[] {1f}));
        assertEquals("atom index 4 outside [0, 4)", e.getMessage());
    }

    @Test
    void shouldRoundTripEmbeddings() {
        Embeddings in = new Embeddings("s", 5, 2, 4, randomFloats(12));
        Embeddings out = roundTrip(Topics.EMBEDDINGS.valueSerde(), in);
        assertEquals(3, out.patchCount());
        assertArrayEquals(in.beta(), out.beta());
    }

    @Test
    void shouldRoundTripMetricsIncludingNaN() {
        FrameMetrics in = new FrameMetrics("s", 1, 100, 180, 7, 12.5, Double.NaN, 0.03, 41, 17.25,
                Double.NaN, 101.5, 95.25, 12);
        FrameMetrics out = roundTrip(Topics.METRICS.valueSerde(), in);
        assertEquals(in, out);
        assertEquals(80, out.latencyMs());
    }

    @Test
    void shouldReadPatchHeadersAndTreatAbsentOrUnreadableAsNone() {
        Headers headers = new RecordHeaders();
        new IngestFaults(4, 2, 1, 3200, 32).addTo(headers);
        PatchHeaders.putDecimal(headers, PatchHeaders.MAX_AGE_MS, 750);
        assertEquals(new IngestFaults(4, 2, 1, 3200, 32), IngestFaults.of(headers));
        assertEquals(38, IngestFaults.of(headers).framesLost(), "dropped + corrupt + lost in outages");
        assertEquals(750, PatchHeaders.maxAgeMs(headers));

        Headers odd = new RecordHeaders();
        odd.add(IngestFaults.DROPPED, "many".getBytes(StandardCharsets.UTF_8));
        odd.add(PatchHeaders.MAX_AGE_MS, "-5".getBytes(StandardCharsets.UTF_8));
        assertEquals(IngestFaults.NONE, IngestFaults.of(odd), "an unreadable count is no count");
        assertEquals(0, PatchHeaders.maxAgeMs(odd), "a negative bound is no bound");
        assertEquals(IngestFaults.NONE, IngestFaults.of(new RecordHeaders()), "an older ingest sends none");
    }

    @Test
    void shouldRoundTripImages() {
        FrameImage in = new FrameImage("s", 8, FrameImage.Kind.RECONSTRUCTION_ALPHA, 3, 2, randomFloats(6));
        FrameImage out = roundTrip(Topics.PREVIEW.valueSerde(), in);
        assertEquals(in.kind(), out.kind());
        assertEquals(3, out.width());
        assertArrayEquals(in.pixels(), out.pixels());
    }

    @Test
    void shouldMapNullToNullForTombstones() {
        assertNull(Topics.PATCHES.valueSerde().serializer().serialize("t", null));
        assertNull(Topics.PATCHES.valueSerde().deserializer().deserialize("t", null));
    }

    @Test
    void shouldRejectAnUnknownFormatVersionNamingIt() {
        byte[] bytes = patchFrame().toBytes();
        bytes[3] = 9;
        UnsupportedVersionException e = assertThrows(UnsupportedVersionException.class,
                () -> PatchFrame.fromBytes(bytes));
        assertEquals("Unsupported PATCH_FRAME format version 9 (this build reads version 1)", e.getMessage());
    }

    @Test
    void shouldRejectGarbageAndOtherRecordTypes() {
        SerializationException magic = assertThrows(SerializationException.class,
                () -> PatchFrame.fromBytes("hello world".getBytes()));
        assertTrue(magic.getMessage().contains("bad magic"), magic.getMessage());
        byte[] metrics = new FrameMetrics("s", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0).toBytes();
        SerializationException type = assertThrows(SerializationException.class, () -> PatchFrame.fromBytes(metrics));
        assertTrue(type.getMessage().contains("record type 4"), type.getMessage());
        assertThrows(SerializationException.class, () -> PatchFrame.fromBytes(new byte[] {'S'}));
    }

    @Test
    void shouldRejectTruncatedAndPaddedRecords() {
        byte[] bytes = patchFrame().toBytes();
        SerializationException truncated = assertThrows(SerializationException.class,
                () -> PatchFrame.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)));
        assertTrue(truncated.getMessage().startsWith("Malformed"), truncated.getMessage());
        SerializationException padded = assertThrows(SerializationException.class,
                () -> PatchFrame.fromBytes(Arrays.copyOf(bytes, bytes.length + 2)));
        assertTrue(padded.getMessage().contains("2 trailing bytes"), padded.getMessage());
    }

    @Test
    void shouldRejectAPatchCountThatDoesNotMatchTheGeometry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PatchFrame("s", 0, 0, 20, 8, 6, new float[64]));
        assertTrue(e.getMessage().startsWith("Expected 576 patch values"), e.getMessage());
        byte[] bytes = patchFrame().toBytes();
        bytes[bytes.length - 4 * 9 * 64 - 4 - 4] = 7; // stride field, low byte: geometry now disagrees
        SerializationException wire = assertThrows(SerializationException.class, () -> PatchFrame.fromBytes(bytes));
        assertTrue(wire.getMessage().contains("patch values"), wire.getMessage());
    }
}
