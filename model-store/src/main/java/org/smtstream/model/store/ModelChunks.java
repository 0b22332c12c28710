package org.smtstream.model.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.smtstream.model.SmtModel;
import org.smtstream.model.wire.ModelChunk;

/**
 * Cuts an encoded model into {@link ModelChunk} records for {@code smt.model}. Kafka's default
 * request and message limits are about 1 MiB, so a payload stays at {@link #MAX_CHUNK_BYTES}, which
 * leaves room for the chunk's header and Kafka's record overhead.
 */
public final class ModelChunks {

    public static final int MAX_CHUNK_BYTES = 1_000_000;

    private ModelChunks() {
    }

    /** The chunks of {@link ModelCodec#encode(SmtModel) model's encoding}, in index order. */
    public static List<ModelChunk> split(SmtModel model) {
        return split(model.version(), ModelCodec.encode(model));
    }

    /** The chunks of an already encoded model. */
    public static List<ModelChunk> split(long version, byte[] encoded) {
        int count = Math.max(1, (encoded.length + MAX_CHUNK_BYTES - 1) / MAX_CHUNK_BYTES);
        String sha256 = Float32.sha256(encoded);
        List<ModelChunk> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * MAX_CHUNK_BYTES;
            int to = Math.min(encoded.length, from + MAX_CHUNK_BYTES);
            byte[] payload = Arrays.copyOfRange(encoded, from, to);
            chunks.add(new ModelChunk(version, i, count, encoded.length, sha256, payload));
        }
        return chunks;
    }

    /** The record key of chunk {@code index}, e.g. {@code chunk-00003}. */
    public static String key(int index) {
        return String.format(Locale.ROOT, "chunk-%05d", index);
    }
}
