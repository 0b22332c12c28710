package org.smtstream.model.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.Json;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;

/**
 * What a stored or transmitted model holds: version, lineage, counters, stats, the configuration as
 * its {@code smt.*} properties, and one entry per array in storage order. The same record heads the
 * binary container of {@link ModelCodec} and is the {@code manifest.json} of an on-disk version,
 * where each array entry also names its {@code .npy} file.
 *
 * @param formatVersion version of this manifest and container layout, {@link #FORMAT_VERSION}
 * @param stats         {@link ModelInfo#stats()}; a NaN stat is null in JSON ({@link Json}'s rule) and NaN again
 *                      when read
 * @param config        {@link SmtConfig#toProperties()} of the model, sorted by key
 * @param arrays        phi, then P, V, mean activity and needles where present
 */
@JsonPropertyOrder({"formatVersion", "version", "parentVersion", "createdAtMs", "framesSeen", "rejectedUpdates",
    "note", "stats", "config", "arrays"})
public record ModelManifest(int formatVersion, long version, long parentVersion, long createdAtMs, long framesSeen,
                            long rejectedUpdates, String note, Map<String, Double> stats, Map<String, String> config,
                            List<ArrayEntry> arrays) {

    public static final int FORMAT_VERSION = 1;
    public static final String DTYPE = "<f4";
    public static final String PHI = "phi";
    public static final String P = "p";
    public static final String V = "v";
    public static final String MEAN = "mean";
    public static final String NEEDLES = "needles";

    private static final List<String> ARRAY_ORDER = List.of(PHI, P, V, MEAN, NEEDLES);

    /**
     * One array of the model.
     *
     * @param shape  [rows, cols]
     * @param dtype  always {@link #DTYPE}, little-endian float32
     * @param sha256 lower-case hex SHA-256 of the array's row-major little-endian float32 bytes
     * @param file   the {@code .npy} file holding it in a version directory; absent in the codec's container
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "shape", "dtype", "sha256", "file"})
    public record ArrayEntry(String name, List<Integer> shape, String dtype, String sha256, String file) {

        public int rows() {
            return shape.get(0);
        }

        public int cols() {
            return shape.get(1);
        }

        /** Bytes of the array's data as float32. */
        public long dataBytes() {
            return 4L * rows() * cols();
        }

        /** The file name an array of this name has in a version directory. */
        public static String fileName(String name) {
            return name + ".npy";
        }
    }

    public ModelManifest {
        stats = stats == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(stats));
        config = config == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(config));
        arrays = arrays == null ? List.of() : List.copyOf(arrays);
    }

    /** The manifest of {@code model}; {@code withFiles} adds the {@code .npy} file names. */
    public static ModelManifest of(SmtModel model, boolean withFiles) {
        List<ArrayEntry> entries = new ArrayList<>();
        namedArrays(model).forEach((name, m) -> entries.add(new ArrayEntry(name, List.of(m.rows(), m.cols()), DTYPE,
                Float32.sha256(m.data()), withFiles ? ArrayEntry.fileName(name) : null)));
        Map<String, String> config = new TreeMap<>();
        Properties props = model.config().toProperties();
        props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k)));
        ModelInfo info = model.info();
        return new ModelManifest(FORMAT_VERSION, model.version(), info.parentVersion(), info.createdAtMs(),
                info.framesSeen(), info.rejectedUpdates(), info.note(), info.stats(), config, entries);
    }

    /** The arrays of {@code model} that are present, by manifest name, in storage order. */
    static Map<String, FloatMatrix> namedArrays(SmtModel model) {
        Map<String, FloatMatrix> arrays = new LinkedHashMap<>();
        arrays.put(PHI, model.phi());
        if (model.p() != null) {
            arrays.put(P, model.p());
        }
        if (model.v() != null) {
            arrays.put(V, model.v());
        }
        if (model.meanActivity() != null) {
            arrays.put(MEAN, model.meanActivity());
        }
        if (model.needles() != null) {
            arrays.put(NEEDLES, model.needles());
        }
        return arrays;
    }

    public ModelInfo info() {
        return new ModelInfo(parentVersion, createdAtMs, framesSeen, rejectedUpdates, note, stats);
    }

    /** The configuration these {@code smt.*} properties describe. */
    public SmtConfig smtConfig() {
        Properties props = new Properties();
        props.putAll(config);
        return SmtConfig.of(props);
    }

    /**
     * The model these arrays (by manifest name) make, with the shapes and values checked.
     *
     * @param source what is being read, for error messages
     */
    SmtModel toModel(Map<String, FloatMatrix> arrays, String source) {
        try {
            return new SmtModel(version, smtConfig(), arrays.get(PHI), arrays.get(P), arrays.get(V), arrays.get(MEAN),
                    arrays.get(NEEDLES), info());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("Invalid model in " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks what a reader relies on before touching array data: the format version, known and
     * unique array names in storage order, 2-D shapes, dtype, hex digests and, when {@code withFiles},
     * the expected file names (so a manifest cannot point outside its directory).
     */
    void validate(String source, boolean withFiles) {
        if (formatVersion != FORMAT_VERSION) {
            throw new ModelFormatException("Unknown model format version " + formatVersion + " in " + source
                    + " (this build reads version " + FORMAT_VERSION + ")");
        }
        Set<String> seen = new HashSet<>();
        int lastPosition = -1;
        for (ArrayEntry a : arrays) {
            String what = "array " + (a == null ? null : a.name()) + " in " + source;
            if (a == null || !ARRAY_ORDER.contains(a.name()) || !seen.add(a.name())) {
                throw new ModelFormatException("Unknown or repeated " + what + " (expected " + ARRAY_ORDER + ")");
            }
            int position = ARRAY_ORDER.indexOf(a.name());
            if (position < lastPosition) {
                throw new ModelFormatException("Out-of-order " + what + " (expected the order " + ARRAY_ORDER + ")");
            }
            lastPosition = position;
            if (a.shape() == null || a.shape().size() != 2 || a.shape().contains(null)
                    || a.rows() < 0 || a.cols() < 0) {
                throw new ModelFormatException("Invalid shape " + a.shape() + " of " + what
                        + " (expected [rows, cols])");
            }
            if (!DTYPE.equals(a.dtype())) {
                throw new ModelFormatException("Unsupported dtype '" + a.dtype() + "' of " + what
                        + " (expected '" + DTYPE + "', little-endian float32)");
            }
            if (a.sha256() == null || !a.sha256().matches("[0-9a-f]{64}")) {
                throw new ModelFormatException("Invalid sha256 '" + a.sha256() + "' of " + what);
            }
            if (withFiles && !ArrayEntry.fileName(a.name()).equals(a.file())) {
                throw new ModelFormatException("Unexpected file '" + a.file() + "' for " + what
                        + " (expected '" + ArrayEntry.fileName(a.name()) + "')");
            }
        }
        if (!seen.contains(PHI)) {
            throw new ModelFormatException("No phi array in " + source);
        }
    }

    byte[] toJson(boolean pretty) {
        try {
            return Json.writer(pretty).writeValueAsBytes(this);
        } catch (JacksonException e) {
            throw new IllegalStateException("Cannot write the manifest of model " + version, e);
        }
    }

    /** Parses a manifest; a JSON error becomes a {@link ModelFormatException} naming {@code source}. */
    static ModelManifest fromJson(byte[] json, String source) {
        ModelManifest manifest;
        try {
            manifest = Json.read(json, ModelManifest.class);
        } catch (JacksonException e) {
            throw new ModelFormatException("Malformed manifest in " + source + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException("Unreadable manifest in " + source + ": " + e.getMessage(), e);
        }
        if (manifest == null) {
            throw new ModelFormatException("Empty manifest in " + source);
        }
        return manifest;
    }
}
