package org.smtstream.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;

class ModelRepositoryTest {

    @TempDir
    Path dir;

    private ModelRepository repo() {
        return new ModelRepository(dir.resolve("models"));
    }

    private static Set<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void shouldSaveLoadAndListVersionsInOrder() throws IOException {
        ModelRepository repo = repo();
        assertEquals(List.of(), repo.list(), "a missing directory holds no versions");
        SmtModel v12 = TestModels.tiny(12);
        SmtModel v3 = new SmtModel(3, TestModels.TINY, TestModels.fill(4, 3, 1), null, null, null, ModelInfo.fresh(9));
        Path stored = repo.save(v12);
        repo.save(v3);

        assertEquals(dir.resolve("models/v0000000012"), stored);
        assertEquals(Set.of("manifest.json", "phi.npy", "p.npy", "v.npy", "mean.npy", "needles.npy"),
                fileNames(stored));
        assertEquals(Set.of("manifest.json", "phi.npy"), fileNames(repo.versionDir(3)));
        assertEquals(List.of(3L, 12L), repo.list().stream().map(ModelManifest::version).toList());
        assertEquals(v12, repo.load(12));
        assertEquals(v3, repo.load(3));
        assertEquals(v12, repo.latest().orElseThrow());
        assertEquals(12.5, repo.list().get(1).stats().get(ModelInfo.SNR_DB));
    }

    @Test
    void shouldWriteAReadablePrettyManifestWithFileNames() throws IOException {
        Path stored = repo().save(TestModels.tiny(12));
        String json = Files.readString(stored.resolve("manifest.json"));
        assertTrue(json.contains("\n"), "pretty-printed");
        assertTrue(json.contains("\"file\" : \"phi.npy\""), json);
        assertTrue(json.contains("\"sha256\" : \"" + Float32.sha256(TestModels.tiny(12).phi().data()) + "\""), json);
        assertTrue(json.contains("\"smt.patchSize\" : \"2\""), json);
    }

    @Test
    void shouldWriteANaNStatAsNullAndReadTheNaNStringOfEarlierManifests() throws IOException {
        ModelRepository repo = repo();
        Path stored = repo.save(TestModels.tiny(12));
        Path manifest = stored.resolve("manifest.json");
        String json = Files.readString(manifest);
        assertTrue(json.contains("\"embeddingObjective\" : null"), json);
        assertTrue(Double.isNaN(repo.load(12).info().stat(ModelInfo.EMBEDDING_OBJECTIVE)));

        Files.writeString(manifest, json.replace("\"embeddingObjective\" : null", "\"embeddingObjective\" : \"NaN\""));
        assertTrue(Double.isNaN(repo.load(12).info().stat(ModelInfo.EMBEDDING_OBJECTIVE)));
    }

    /**
     * A manifest written while g's lambda was absolute (smt.inverseLambda, no smt.inverseLambdaFraction)
     * still loads, with the current fraction and its other settings as stored.
     */
    @Test
    void shouldLoadAManifestWrittenWithTheAbsoluteInverseLambda() throws IOException {
        ModelRepository repo = repo();
        Path manifest = repo.save(TestModels.tiny(12)).resolve("manifest.json");
        String json = Files.readString(manifest);
        String current = "\"smt.inverseLambdaFraction\" : \"" + TestModels.TINY.inverseLambdaFraction() + "\"";
        assertTrue(json.contains(current), json);
        Files.writeString(manifest, json.replace(current, "\"smt.inverseLambda\" : \"0.3\""));
        SmtModel loaded = repo.load(12);
        assertEquals(TestModels.tiny(12), loaded);
        assertEquals(SmtConfig.fast().inverseLambdaFraction(), loaded.config().inverseLambdaFraction());
    }

    @Test
    void shouldOpenAVersionDirectoryOrARepositorysNewestVersion() throws IOException {
        ModelRepository repo = repo();
        repo.save(TestModels.tiny(3));
        repo.save(TestModels.tiny(7));
        assertEquals(TestModels.tiny(7), ModelRepository.open(repo.dir()));
        assertEquals(TestModels.tiny(3), ModelRepository.open(repo.versionDir(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelRepository.open(dir.resolve("absent")));
        assertEquals("Model directory '" + dir.resolve("absent") + "' does not exist", e.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(IllegalArgumentException.class, () -> ModelRepository.open(dir.resolve("empty")));
        assertEquals("No model version in " + dir.resolve("empty"), e.getMessage());
    }

    @Test
    void shouldRefuseToOverwriteAStoredVersion() throws IOException {
        ModelRepository repo = repo();
        repo.save(TestModels.tiny(4));
        byte[] before = Files.readAllBytes(repo.versionDir(4).resolve("phi.npy"));
        SmtModel other = new SmtModel(4, TestModels.TINY, TestModels.fill(4, 3, 77), null, null, null,
                ModelInfo.fresh(0));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> repo.save(other));
        assertTrue(e.getMessage().contains("model version 4 is already stored"), e.getMessage());
        assertTrue(Arrays.equals(before, Files.readAllBytes(repo.versionDir(4).resolve("phi.npy"))));
        assertEquals(Set.of("v0000000004"), fileNames(repo.dir()), "no temporary directory left behind");
    }

    @Test
    void shouldIgnoreLeftoverTemporaryAndIncompleteDirectories() throws IOException {
        ModelRepository repo = repo();
        repo.save(TestModels.tiny(1));
        Path leftover = repo.dir().resolve(".tmp-v0000000002-crashed");
        Files.createDirectories(leftover);
        Files.copy(repo.versionDir(1).resolve("phi.npy"), leftover.resolve("phi.npy"));
        Files.createDirectories(repo.versionDir(3));
        Files.writeString(repo.dir().resolve("notes.txt"), "not a model");
        assertEquals(List.of(1L), repo.list().stream().map(ModelManifest::version).toList());
        assertEquals(1, repo.latest().orElseThrow().version());
        repo.save(TestModels.tiny(2));
        assertEquals(List.of(1L, 2L), repo.list().stream().map(ModelManifest::version).toList());
    }

    @Test
    void shouldNameTheFileWithAFlippedByte() throws IOException {
        ModelRepository repo = repo();
        repo.save(TestModels.tiny(6));
        Path phi = repo.versionDir(6).resolve("phi.npy");
        byte[] bytes = Files.readAllBytes(phi);
        bytes[bytes.length - 5] ^= 0x10;
        Files.write(phi, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> repo.load(6));
        assertTrue(e.getMessage().startsWith("Checksum mismatch in " + phi), e.getMessage());
    }

    @Test
    void shouldNameATruncatedFile() throws IOException {
        ModelRepository repo = repo();
        repo.save(TestModels.tiny(6));
        Path v = repo.versionDir(6).resolve("v.npy");
        byte[] bytes = Files.readAllBytes(v);
        Files.write(v, Arrays.copyOf(bytes, bytes.length - 4));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> repo.load(6));
        assertEquals(v + " is truncated: shape (3, 3) needs 36 data bytes, found 32", e.getMessage());
    }

    @Test
    void shouldNameAMissingArrayFile() throws IOException {
        ModelRepository repo = repo();
        repo.save(TestModels.tiny(6));
        Files.delete(repo.versionDir(6).resolve("mean.npy"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> repo.load(6));
        assertTrue(e.getMessage().startsWith("Missing " + repo.versionDir(6).resolve("mean.npy")), e.getMessage());
    }

    @Test
    void shouldRejectAManifestPointingOutsideItsDirectory() throws IOException {
        ModelRepository repo = repo();
        repo.save(TestModels.tiny(6));
        Path manifest = repo.versionDir(6).resolve("manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"phi.npy\"", "\"../../phi.npy\""));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> repo.load(6));
        assertTrue(e.getMessage().startsWith("Unexpected file '../../phi.npy' for array phi"), e.getMessage());
    }

    @Test
    void shouldReportAMissingVersionWithTheStoredOnes() throws IOException {
        ModelRepository repo = repo();
        repo.save(TestModels.tiny(1));
        repo.save(TestModels.tiny(2));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> repo.load(9));
        assertEquals(repo.versionDir(9) + ": no model version 9 (stored: v1, v2)", e.getMessage());
    }

    @Test
    void shouldExportAndImportAVerifiedCopy() throws IOException {
        ModelRepository repo = repo();
        SmtModel v5 = TestModels.tiny(5);
        repo.save(v5);
        Path target = dir.resolve("elsewhere/model-5");
        repo.export(5, target);
        assertEquals(fileNames(repo.versionDir(5)), fileNames(target));
        assertEquals(v5, ModelRepository.importFrom(target));
        assertThrows(FileAlreadyExistsException.class, () -> repo.export(5, target));

        ModelRepository other = new ModelRepository(dir.resolve("other"));
        other.save(ModelRepository.importFrom(target).withVersion(40));
        assertEquals(v5.phi(), other.load(40).phi());

        Path p = target.resolve("p.npy");
        byte[] bytes = Files.readAllBytes(p);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(p, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelRepository.importFrom(target));
        assertTrue(e.getMessage().startsWith("Checksum mismatch in " + p), e.getMessage());
    }

    @Test
    void shouldRefuseToImportADirectoryWithoutManifest() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ModelRepository.importFrom(dir));
        assertTrue(e.getMessage().contains("not a model version directory"), e.getMessage());
    }

    @Test
    void shouldRollBackAsANewVersionWhoseParentIsTheOldOne() throws IOException {
        ModelRepository repo = repo();
        repo.save(TestModels.tiny(2));
        repo.save(TestModels.tiny(3));
        repo.save(TestModels.tiny(7));
        long before = System.currentTimeMillis();
        SmtModel rolledBack = repo.rollback(3);

        assertEquals(8, rolledBack.version());
        assertEquals(3, rolledBack.info().parentVersion());
        assertEquals("rollback to v3", rolledBack.info().note());
        assertTrue(rolledBack.info().createdAtMs() >= before);
        assertEquals(TestModels.tiny(3).phi(), rolledBack.phi());
        assertEquals(TestModels.tiny(3).info().framesSeen(), rolledBack.info().framesSeen());
        assertEquals(rolledBack, repo.load(8));
        assertEquals(List.of(2L, 3L, 7L, 8L), repo.list().stream().map(ModelManifest::version).toList());
        assertFalse(Files.exists(repo.versionDir(9)));
    }
}
