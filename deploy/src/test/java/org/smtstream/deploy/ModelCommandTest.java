package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.Topics;
import org.smtstream.model.store.ModelManifest;
import org.smtstream.model.store.ModelRepository;

class ModelCommandTest {

    private static final SmtConfig TINY = SmtConfig.fast().with(Map.of(
            "frameSize", "8", "patchSize", "2", "stride", "2", "dictionarySize", "3", "embeddingDim", "2"));

    @TempDir
    Path dir;

    private Path modelDir;
    private ModelRepository repo;
    private final CapturedCommand smt = new CapturedCommand();

    private static SmtModel model(long version, long parent, double snr, String note) {
        float[] phi = new float[12];
        for (int i = 0; i < phi.length; i++) {
            phi[i] = version + i / 16f;
        }
        return new SmtModel(version, TINY, new FloatMatrix(4, 3, phi), null, null, null,
                new ModelInfo(parent, 1_700_000_000_000L + version, 1000 * version, 0, note,
                        Map.of(ModelInfo.SNR_DB, snr)));
    }

    @BeforeEach
    void storeTwoVersions() throws IOException {
        modelDir = dir.resolve("models");
        repo = new ModelRepository(modelDir);
        repo.save(model(1, ModelInfo.NO_PARENT, Double.NaN, "first"));
        repo.save(model(2, 1, 12.345, "after the walk"));
    }

    private int run(String... args) {
        return smt.run(args);
    }

    /** Runs a command that must fail with exit 1 and one line on stderr; returns that line. */
    private String failure(String... args) {
        int exit = run(args);
        String message = smt.err().trim();
        assertEquals(1, exit, "exit code; stderr: " + message);
        assertFalse(message.contains("\n"), "one line, not a stack trace: " + message);
        return message;
    }

    private List<Long> storedVersions() throws IOException {
        return repo.list().stream().map(ModelManifest::version).toList();
    }

    @Test
    void shouldListVersionsAsATable() {
        assertEquals(0, run("model", "list", "--model-dir", modelDir.toString()), smt.err());
        List<String> lines = smt.out().lines().toList();
        assertEquals(3, lines.size(), smt.out());
        assertTrue(lines.get(0).matches(" *version +parent +created \\(UTC\\) +frames seen +SNR dB +note"),
                lines.get(0));
        assertTrue(lines.get(1).matches(" *v1 +- +2023-11-14 22:13:20 +1000 +- +first"), lines.get(1));
        assertTrue(lines.get(2).matches(" *v2 +v1 +2023-11-14 22:13:20 +2000 +12\\.35 +after the walk"), lines.get(2));
    }

    @Test
    void shouldSayWhenADirectoryHoldsNoVersions() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(0, run("model", "list", "--model-dir", empty.toString()));
        assertEquals("No model versions in " + empty, smt.out().trim());
    }

    @Test
    void shouldRoundTripExportAndImport() throws IOException {
        Path exported = dir.resolve("exported/v2");
        assertEquals(0, run("model", "export", "v2", "--model-dir", modelDir.toString(), "--to", exported.toString()),
                smt.err());
        assertTrue(Files.isRegularFile(exported.resolve("manifest.json")));

        Path other = dir.resolve("other");
        assertEquals(0, run("model", "import", exported.toString(), "--model-dir", other.toString()), smt.err());
        assertTrue(smt.out().contains("Imported " + exported + " as v2"), smt.out());
        SmtModel imported = new ModelRepository(other).load(2);
        assertEquals(repo.load(2), imported);

        assertEquals(0, run("model", "import", exported.toString(), "--model-dir", modelDir.toString()),
                smt.err());
        assertTrue(smt.out().contains("as v3 (exported as v2)"), smt.out());
        assertEquals(List.of(1L, 2L, 3L), storedVersions());
        assertEquals(repo.load(2).phi(), repo.load(3).phi());
    }

    @Test
    void shouldRollBackAsANewVersionWithTheRightParent() throws IOException {
        assertEquals(0, run("model", "rollback", "1", "--model-dir", modelDir.toString()), smt.err());
        assertEquals("Rolled back to v1: stored as v3", smt.out().trim());
        SmtModel v3 = repo.load(3);
        assertEquals(1, v3.info().parentVersion());
        assertEquals("rollback to v1", v3.info().note());
        assertEquals(repo.load(1).phi(), v3.phi());
        assertEquals(List.of(1L, 2L, 3L), storedVersions());
    }

    @Test
    void shouldReportAMissingVersionInOneLine() throws IOException {
        String message = failure("model", "export", "7", "--model-dir", modelDir.toString(), "--to",
                dir.resolve("x").toString());
        assertEquals("smt model export: " + repo.versionDir(7) + ": no model version 7 (stored: v1, v2)", message);
        assertFalse(Files.exists(dir.resolve("x")), "nothing exported");
        smt.clearErr();
        message = failure("model", "rollback", "9", "--model-dir", modelDir.toString());
        assertTrue(message.startsWith("smt model rollback: ") && message.contains("no model version 9"), message);
        assertEquals(List.of(1L, 2L), storedVersions());
        smt.clearErr();
        message = failure("model", "publish", "9", "-b", "127.0.0.1:1", "--model-dir", modelDir.toString());
        assertTrue(message.startsWith("smt model publish: ") && message.contains("no model version 9"), message);
    }

    @Test
    void shouldReportAMissingModelDirectoryInOneLine() {
        Path missing = dir.resolve("nope");
        assertEquals("smt model list: Model directory '" + missing + "' does not exist",
                failure("model", "list", "--model-dir", missing.toString()));
        assertFalse(Files.exists(missing), "listing creates nothing");
    }

    @Test
    void shouldReportAnImportOfSomethingThatIsNoModel() {
        String message = failure("model", "import", dir.toString(), "--model-dir", modelDir.toString());
        assertEquals("smt model import: " + dir + ": not a model version directory (no manifest.json)", message);
    }

    @Test
    void shouldReportACorruptStoredVersionNamingTheFile() throws IOException {
        Path phi = repo.versionDir(2).resolve("phi.npy");
        byte[] bytes = Files.readAllBytes(phi);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(phi, bytes);
        String message = failure("model", "rollback", "2", "--model-dir", modelDir.toString());
        assertTrue(message.startsWith("smt model rollback: Checksum mismatch in " + phi), message);
    }

    @Test
    void shouldRequireBootstrapServersToPublishBeforeWritingAnything() throws IOException {
        assertEquals("smt model rollback: --publish needs --bootstrap-servers",
                failure("model", "rollback", "1", "--publish", "--model-dir", modelDir.toString()));
        assertEquals(List.of(1L, 2L), storedVersions());
    }

    @Test
    void shouldRejectAVersionThatIsNotANumber() {
        assertEquals(2, run("model", "export", "latest", "--model-dir", modelDir.toString(), "--to", "x"));
        assertTrue(smt.err().contains("'latest' is not a model version"), smt.err());
    }

    @Test
    void shouldNameTheDefaultModelDirectoryInHelp() {
        assertEquals(0, run("model", "list", "--help"));
        assertTrue(smt.out().contains("Default: " + ModelCommand.DEFAULT_MODEL_DIR), smt.out());
        assertEquals(0, run("model", "rollback", "--help"));
        assertTrue(smt.out().contains("--bootstrap-servers") && smt.out().contains("--publish"), smt.out());
        assertEquals(0, run("model", "--help"));
        for (String sub : new String[] {"list", "export", "import", "rollback", "publish"}) {
            assertTrue(smt.out().contains(sub), "model help lacks " + sub + ":\n" + smt.out());
        }
    }

    @Test
    void shouldCreateTheModelTopicCompactedWithOnePartition() {
        NewTopic topic = TopicSetup.newTopic(Topics.MODEL.name(), 4, (short) 3);
        assertEquals(1, topic.numPartitions());
        assertEquals(3, topic.replicationFactor());
        assertEquals("compact", topic.configs().get("cleanup.policy"));
        assertEquals("60000", topic.configs().get("segment.ms"));
        assertTrue(Long.parseLong(topic.configs().get("max.compaction.lag.ms")) <= 300_000);
        assertTrue(Integer.parseInt(topic.configs().get("max.message.bytes")) > 1_048_576);
        assertEquals(4, TopicSetup.newTopic(Topics.PATCHES.name(), 4, (short) -1).numPartitions());
    }
}
