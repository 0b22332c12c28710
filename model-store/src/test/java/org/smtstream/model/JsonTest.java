package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The NaN rule in both directions, round trips of records and trees, and escaping. */
class JsonTest {

    record Sample(String name, double value, Double boxed, float single, double[] series, Map<String, Double> stats) {
    }

    private static Sample withNaNs() {
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("snrDb", 12.5);
        stats.put("objective", Double.NaN);
        stats.put("rate", Double.POSITIVE_INFINITY);
        return new Sample("cam \"0\"\n\\", Double.NaN, Double.NEGATIVE_INFINITY, Float.NaN,
                new double[] {1.5, Double.NaN, -2}, stats);
    }

    @Test
    void shouldWriteEveryNonFiniteNumberAsNull() {
        assertEquals("{\"name\":\"cam \\\"0\\\"\\n\\\\\",\"value\":null,\"boxed\":null,\"single\":null,"
                + "\"series\":[1.5,null,-2.0],\"stats\":{\"snrDb\":12.5,\"objective\":null,\"rate\":null}}",
                Json.write(withNaNs()));
    }

    @Test
    void shouldWriteNonFiniteNumbersInTreesAsNullToo() {
        String json = Json.write(Json.object().put("d", Double.NaN).put("f", Float.POSITIVE_INFINITY)
                .put("ok", 0.25).set("a", Json.array().add(Double.NaN).add(3)));
        assertEquals("{\"d\":null,\"f\":null,\"ok\":0.25,\"a\":[null,3]}", json);
    }

    @Test
    void shouldReadNullBackAsNaN() throws Exception {
        Sample original = withNaNs();
        Sample read = Json.read(Json.write(original), Sample.class);
        assertEquals(original.name(), read.name(), "quotes, line breaks and backslashes survive");
        assertTrue(Double.isNaN(read.value()));
        assertTrue(Double.isNaN(read.boxed()), "infinity is not kept, it is 'not a number' like NaN");
        assertTrue(Float.isNaN(read.single()));
        assertArrayEquals(new double[] {1.5, Double.NaN, -2}, read.series());
        assertEquals(12.5, read.stats().get("snrDb"));
        assertTrue(Double.isNaN(read.stats().get("objective")));
        assertTrue(Double.isNaN(read.stats().get("rate")));
    }

    @Test
    void shouldReadTheNaNStringsOfEarlierFilesAndIgnoreUnknownProperties() throws Exception {
        Sample read = Json.read("{\"name\":\"x\",\"value\":\"NaN\",\"stats\":{\"a\":\"NaN\"},\"added\":1}".getBytes(),
                Sample.class);
        assertTrue(Double.isNaN(read.value()));
        assertTrue(Double.isNaN(read.stats().get("a")));
    }

    @Test
    void shouldIndentFilesAndEndThemWithALineBreak() throws Exception {
        String pretty = Json.writePretty(Map.of("k", 1));
        assertEquals("{\n  \"k\" : 1\n}\n", pretty);
        JsonNode tree = Json.readTree(pretty);
        assertEquals(1, tree.get("k").asInt());
        assertEquals(tree, Json.tree(Map.of("k", 1)));
    }
}
