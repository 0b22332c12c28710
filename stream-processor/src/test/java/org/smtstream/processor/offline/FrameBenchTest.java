package org.smtstream.processor.offline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.Json;

class FrameBenchTest {

    private static FrameBench sample() {
        TreeMap<String, String> environment = new TreeMap<>();
        environment.put("OMP_WAIT_POLICY", "PASSIVE");
        environment.put("OPENBLAS_CORETYPE", null);
        return new FrameBench("AMD \"EPYC\"", 2, environment, "ND4J backend: CPU", 178.5,
                List.of(new FrameBench.Timing("fast", 73.8, 120.8, 80.9, 6.5, 37.6, 30)));
    }

    @Test
    void theJsonReadsBackAsTheSameResult() throws Exception {
        FrameBench bench = sample();
        assertEquals(bench, Json.read(bench.toJson(), FrameBench.class));
    }

    @Test
    void shouldWriteTheJsonAndTheMarkdownIntoADirectory(@TempDir Path dir) throws Exception {
        FrameBench bench = sample();
        List<Path> written = bench.writeTo(dir.resolve("bench"));
        assertEquals(List.of(dir.resolve("bench/bench.json"), dir.resolve("bench/bench.md")), written);
        assertEquals(bench, Json.read(Files.readString(written.get(0)), FrameBench.class));
        assertEquals(bench.toMarkdown(), Files.readString(written.get(1)));
    }

    @Test
    void theMarkdownTableHasOneRowPerPresetWithTheGemmShare() {
        String md = sample().toMarkdown();
        assertTrue(md.contains("SGEMM 1024^3: 178.5 GFLOP/s"), md);
        assertTrue(md.contains("| fast | 73.8 / 120.8 | 80.9 | 6.5 | 37.6 | 51 % |"), md);
    }
}
