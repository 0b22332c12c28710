package org.smtstream.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers.DoubleDeserializer;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers.FloatDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The project's one JSON configuration (Jackson): model manifests, reports, benchmark results and
 * the web view's messages are all written and read through it, as objects (records, maps) or as
 * trees ({@link #object()}, {@link #array()}).
 *
 * <p>The NaN rule: JSON has no NaN or infinity, so a non-finite double or float is written as
 * {@code null}, wherever it occurs (record components, map values, arrays, tree nodes). Read back,
 * {@code null} in a {@code double}, {@code float}, their boxes or a {@code double[]} is NaN, this
 * project's "not measured"; so is the string {@code "NaN"} that earlier manifests hold.
 *
 * <p>Reading ignores properties it does not know, so an older reader accepts what a newer writer adds.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .addDecorator((factory, generator) -> new NonFiniteAsNull(generator)).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("smt-nan-rule")
                    .addDeserializer(Double.class, new DoubleDeserializer(Double.class, Double.NaN))
                    .addDeserializer(Double.TYPE, new DoubleDeserializer(Double.TYPE, Double.NaN))
                    .addDeserializer(Float.class, new FloatDeserializer(Float.class, Float.NaN))
                    .addDeserializer(Float.TYPE, new FloatDeserializer(Float.TYPE, Float.NaN))
                    .addDeserializer(double[].class, new DoubleArrayDeserializer()))
            .build();
    private static final ObjectWriter COMPACT = MAPPER.writer();
    private static final ObjectWriter PRETTY = MAPPER.writer(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** The writer: compact, or indented for files people read. */
    public static ObjectWriter writer(boolean pretty) {
        return pretty ? PRETTY : COMPACT;
    }

    /** {@code value} as compact JSON on one line. */
    public static String write(Object value) {
        return write(COMPACT, value);
    }

    /** {@code value} as indented JSON ending with a line break, for a file. */
    public static String writePretty(Object value) {
        return write(PRETTY, value) + "\n";
    }

    /** Reads {@code json} as a {@code type}. */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    /** Reads {@code json} as a {@code type}. */
    public static <T> T read(String json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    /** Reads {@code json} as a tree. */
    public static JsonNode readTree(String json) throws IOException {
        return MAPPER.readTree(json);
    }

    /** An empty object node to fill. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** An empty array node to fill. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** {@code value} (a record, map, array, ...) as a tree, to place inside another. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Writes every non-finite number as null: the one place of the NaN rule on the way out. */
    private static final class NonFiniteAsNull extends JsonGeneratorDelegate {

        NonFiniteAsNull(JsonGenerator generator) {
            super(generator, false);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            if (Double.isFinite(v)) {
                super.writeNumber(v);
            } else {
                writeNull();
            }
        }

        @Override
        public void writeNumber(float v) throws IOException {
            if (Float.isFinite(v)) {
                super.writeNumber(v);
            } else {
                writeNull();
            }
        }

        @Override
        public void writeArray(double[] array, int offset, int length) throws IOException {
            // The delegate would write the elements itself, past writeNumber above.
            writeStartArray(array, length);
            for (int i = offset; i < offset + length; i++) {
                writeNumber(array[i]);
            }
            writeEndArray();
        }
    }

    /** A double array whose nulls are NaN, as the NaN rule writes them. */
    private static final class DoubleArrayDeserializer extends StdDeserializer<double[]> {

        DoubleArrayDeserializer() {
            super(double[].class);
        }

        @Override
        public double[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Double[] boxed = ctxt.readValue(p, Double[].class);
            double[] values = new double[boxed.length];
            for (int i = 0; i < boxed.length; i++) {
                values[i] = boxed[i];
            }
            return values;
        }
    }
}
