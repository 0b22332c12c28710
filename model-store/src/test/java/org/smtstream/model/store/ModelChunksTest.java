package org.smtstream.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.ModelChunk;

class ModelChunksTest {

    /** Kafka's default max.request.size and (about) message.max.bytes. */
    private static final int ONE_MIB = 1_048_576;

    /**
     * Splits, checks every chunk's payload and serialized size, reassembles through the serde and
     * compares with the model.
     */
    private static List<ModelChunk> splitAndCheck(SmtModel model) {
        byte[] encoded = ModelCodec.encode(model);
        List<ModelChunk> chunks = ModelChunks.split(model);
        assertEquals((encoded.length + ModelChunks.MAX_CHUNK_BYTES - 1) / ModelChunks.MAX_CHUNK_BYTES, chunks.size());
        Serializer<ModelChunk> serializer = Topics.MODEL.valueSerde().serializer();
        ModelAssembler assembler = new ModelAssembler();
        ByteArrayOutputStream joined = new ByteArrayOutputStream(encoded.length);
        SmtModel assembled = null;
        for (int i = 0; i < chunks.size(); i++) {
            ModelChunk c = chunks.get(i);
            assertEquals(i, c.index());
            assertEquals(model.version(), c.version());
            assertTrue(c.payload().length <= ModelChunks.MAX_CHUNK_BYTES, c + " payload over the limit");
            byte[] record = serializer.serialize(Topics.MODEL.name(), c);
            byte[] key = Topics.MODEL.keySerde().serializer().serialize(Topics.MODEL.name(), ModelChunks.key(i));
            assertTrue(record.length + key.length < ONE_MIB, "serialized " + c + " is " + record.length + " bytes");
            joined.writeBytes(c.payload());
            ModelChunk read = Topics.MODEL.valueSerde().deserializer().deserialize(Topics.MODEL.name(), record);
            assembled = assembler.accept(read).orElse(assembled);
        }
        assertArrayEquals(encoded, joined.toByteArray());
        assertEquals(model, assembled, "reassembled model equals the original");
        return chunks;
    }

    @Test
    void shouldSplitAFastPresetModelIntoChunksUnderOneMebibyte() {
        SmtConfig fast = SmtConfig.fast();
        SmtModel model = TestModels.model(fast, 3, true);
        assertEquals(1024, model.v().rows());
        List<ModelChunk> chunks = splitAndCheck(model);
        // phi 256x1024 + P 64x1024 + V 1024x1024 + mean 1024x1, 4 bytes each: 5.3 MB.
        assertEquals(6, chunks.size());
    }

    @Test
    void shouldSplitASeedPresetModelWithItsFullCovariance() {
        // V is 4000x4000 floats, 64 MB; with its copies the test needs about 400 MB of the 3 GiB test heap.
        SmtConfig seed = SmtConfig.seed();
        SmtModel model = TestModels.model(seed, 8, true);
        List<ModelChunk> chunks = splitAndCheck(model);
        assertEquals(74, chunks.size());
        assertEquals(ModelChunks.MAX_CHUNK_BYTES, chunks.get(0).payload().length);
    }

    @Test
    void shouldSplitATinyModelIntoOneChunk() {
        List<ModelChunk> chunks = splitAndCheck(TestModels.tiny(1));
        assertEquals(1, chunks.size());
        assertEquals(chunks.get(0).totalBytes(), chunks.get(0).payload().length);
    }

    @Test
    void shouldKeyChunksByZeroPaddedIndex() {
        assertEquals("chunk-00003", ModelChunks.key(3));
        assertEquals("chunk-12345", ModelChunks.key(12345));
    }

    @Test
    void shouldWriteTheCommonWireHeader() {
        byte[] record = ModelChunks.split(TestModels.tiny(1)).get(0).toBytes();
        assertEquals('S', record[0]);
        assertEquals('M', record[1]);
        assertEquals(6, record[2], "record type MODEL_CHUNK");
        assertEquals(ModelChunk.FORMAT_VERSION, record[3]);
    }

    @Test
    void shouldRejectTruncatedChunkRecords() {
        byte[] record = ModelChunks.split(TestModels.tiny(1)).get(0).toBytes();
        byte[] cut = Arrays.copyOf(record, record.length - 1);
        assertThrows(SerializationException.class, () -> ModelChunk.fromBytes(cut));
    }

    @Test
    void shouldRejectInconsistentChunks() {
        String sha = "0".repeat(64);
        assertThrows(IllegalArgumentException.class, () -> new ModelChunk(1, 2, 2, 10, sha, new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new ModelChunk(1, 0, 1, 10, sha, new byte[11]));
        assertThrows(IllegalArgumentException.class, () -> new ModelChunk(1, 0, 1, 10, "abc", new byte[1]));
    }
}
