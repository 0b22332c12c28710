package org.smtstream.processor.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
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
    void theMarkdownTableHasOneRowPerPresetWithTheGemmShare() {
        String md = sample().toMarkdown();
        assertTrue(md.contains("SGEMM 1024^3: 178.5 GFLOP/s"), md);
        assertTrue(md.contains("| fast | 73.8 / 120.8 | 80.9 | 6.5 | 37.6 | 51 % |"), md);
    }
}
