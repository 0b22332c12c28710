package org.smtstream.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.wire.ModelChunk;

class ModelAssemblerTest {

    /** Several chunks per version without a big model: phi 256x2048 and P 64x2048, no V, are 2.6 MB, 3 chunks. */
    private static final SmtConfig SMALL = SmtConfig.fast().with(Map.of("dictionarySize", "2048"));

    private final ModelAssembler assembler = new ModelAssembler();

    private static SmtModel model(long version) {
        return TestModels.model(SMALL, version, false);
    }

    /** Feeds every chunk; returns the models completed, in order. */
    private List<SmtModel> feed(List<ModelChunk> chunks) {
        List<SmtModel> completed = new ArrayList<>();
        for (ModelChunk c : chunks) {
            assembler.accept(c).ifPresent(completed::add);
        }
        return completed;
    }

    @Test
    void shouldAssembleShuffledAndDuplicatedChunks() {
        SmtModel v1 = model(1);
        List<ModelChunk> chunks = new ArrayList<>(ModelChunks.split(v1));
        assertTrue(chunks.size() >= 3, "needs several chunks, got " + chunks.size());
        chunks.addAll(chunks.subList(0, 2));
        Collections.shuffle(chunks, new Random(3));
        List<SmtModel> completed = feed(chunks);
        assertEquals(List.of(v1), completed, "exactly one model, once, despite the duplicates");
        assertEquals(Optional.of(v1), assembler.latest());
        assertEquals(0, assembler.pendingVersions());
    }

    @Test
    void shouldAssembleTwoInterleavedVersions() {
        List<ModelChunk> a = ModelChunks.split(model(1));
        List<ModelChunk> b = ModelChunks.split(model(2));
        List<ModelChunk> interleaved = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                interleaved.add(a.get(i));
            }
            if (i < b.size()) {
                interleaved.add(b.get(i));
            }
        }
        List<SmtModel> completed = feed(interleaved);
        assertEquals(List.of(1L, 2L), completed.stream().map(SmtModel::version).toList());
        assertEquals(2, assembler.latest().orElseThrow().version());
    }

    @Test
    void shouldIgnoreAnOlderVersionThatCompletesAfterANewerOne() {
        List<ModelChunk> older = ModelChunks.split(model(4));
        List<ModelChunk> newer = ModelChunks.split(model(5));
        assertTrue(assembler.accept(older.get(0)).isEmpty());
        assertEquals(List.of(5L), feed(newer).stream().map(SmtModel::version).toList());
        assertEquals(List.of(), feed(older), "v4 is older than the assembled v5");
        assertEquals(5, assembler.latest().orElseThrow().version());
        assertEquals(List.of(), feed(newer), "a replay of v5 is not a new model");
        assertEquals(0, assembler.pendingVersions());
    }

    @Test
    void shouldCountACorruptedChunkAndKeepTheLastGoodModel() {
        SmtModel good = model(1);
        feed(ModelChunks.split(good));
        List<ModelChunk> chunks = new ArrayList<>(ModelChunks.split(model(2)));
        ModelChunk c = chunks.get(1);
        byte[] flipped = c.payload().clone();
        flipped[flipped.length / 2] ^= 0x40;
        chunks.set(1, new ModelChunk(c.version(), c.index(), c.count(), c.totalBytes(), c.sha256(), flipped));
        assertEquals(List.of(), feed(chunks));
        assertEquals(1, assembler.corruptVersions());
        assertEquals(Optional.of(good), assembler.latest());
        assertEquals(List.of(3L), feed(ModelChunks.split(model(3))).stream().map(SmtModel::version).toList(),
                "a later good version still gets through");
    }

    @Test
    void shouldCountChunksThatDisagreeAboutTheirVersion() {
        List<ModelChunk> chunks = ModelChunks.split(model(2));
        ModelChunk c = chunks.get(1);
        assembler.accept(chunks.get(0));
        assertTrue(assembler.accept(new ModelChunk(2, c.index(), c.count() + 1, c.totalBytes(), c.sha256(),
                c.payload())).isEmpty());
        assertEquals(1, assembler.corruptVersions());
        assertEquals(0, assembler.pendingVersions());
    }

    @Test
    void shouldCountAValidContainerWhoseModelVersionDiffersFromTheChunks() {
        byte[] encoded = ModelCodec.encode(model(7));
        assertEquals(List.of(), feed(ModelChunks.split(8, encoded)));
        assertEquals(1, assembler.corruptVersions());
    }

    @Test
    void shouldKeepAtMostTwoPartialVersionsDroppingTheOldest() {
        for (long v = 10; v < 20; v++) {
            assembler.accept(ModelChunks.split(model(v)).get(0));
            assertTrue(assembler.pendingVersions() <= ModelAssembler.MAX_PENDING_VERSIONS);
        }
        assertEquals(2, assembler.pendingVersions());
        assertEquals(8, assembler.evictedVersions());
        List<ModelChunk> v19 = ModelChunks.split(model(19));
        assertEquals(List.of(19L), feed(v19.subList(1, v19.size())).stream().map(SmtModel::version).toList(),
                "the newest partial version was kept");
        assertEquals(List.of(), feed(ModelChunks.split(model(10)).subList(1, 2)), "v10 was dropped and is older now");
    }
}
