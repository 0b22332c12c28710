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
                List.of(new FrameBench.PresetResult("fast", "walk.mp4", "trained here on frames [0, 100)", 103, 20,
                        1e-3, 60, List.of(
                        new FrameBench.CoderResult("FISTA to the cap, cold", 58.2, 70.1, 17.2, 1.9e-2, Double.NaN,
                                17.31, 0.051, 60),
                        new FrameBench.CoderResult("working set, warm", 20.5, 31.0, 48.8, 4.0e-3, 2.5e-2, 17.52,
                                0.049, 23.5)),
                        new FrameBench.FrameWork(4.2, 6.0, 9.5, 12.3, 60.6, 17.4, 0.05, 0))));
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
    void theMarkdownGivesTheWholeFrameWorkBesideTheCoders() {
        String md = sample().toMarkdown();
        assertTrue(md.contains("| 4.2 / 6.0 | 9.5 / 12.3 | 0 | 60.6 | 17.40 dB | 5.0 % |"), md);
    }

    @Test
    void theMarkdownHasOneRowPerCoderWithItsQualityBesideItsTime() {
        String md = sample().toMarkdown();
        assertTrue(md.contains("SGEMM 1024^3: 178.5 GFLOP/s"), md);
        assertTrue(md.contains("| FISTA to the cap, cold | 58.2 / 70.1 | 17.2 | 1.9e-02 | - | 17.31 dB | 5.1 % "
                + "| 60.0 |"), md);
        assertTrue(md.contains("| working set, warm | 20.5 / 31.0 | 48.8 | 4.0e-03 | 2.5e-02 | 17.52 dB | 4.9 % "
                + "| 23.5 |"), md);
    }
}
