package org.smtstream.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.smtstream.model.SmtConfig;

/**
 * The model configuration from its layers, each overriding the one before: the preset, a properties
 * file, environment variables, command-line flags. The preset itself is chosen the same way
 * ({@code --preset} over {@code SMT_PRESET} over the file's {@code smt.preset} over {@code fast}),
 * so a file written by {@code smt config show} reproduces its configuration.
 *
 * <p>Environment variables are {@code SMT_} plus the key in upper snake case ({@code smt.lambda} is
 * {@code SMT_LAMBDA}, {@code smt.dictionarySize} is {@code SMT_DICTIONARY_SIZE}). Only the names of
 * known keys are read: other {@code SMT_*} variables (the launcher's {@code SMT_HOME}, {@code SMT_OPTS})
 * belong to other tools and are ignored, whereas an unknown key in the file or in {@code --set} is an
 * error, since there it can only be a typo.
 *
 * @param config  the resulting configuration
 * @param origins for every {@code smt.*} key, the layer its value came from
 */
public record LayeredConfig(SmtConfig config, Map<String, String> origins) {

    static final String ENV_PREFIX = "SMT_";
    private static final String PRESET = SmtConfig.PREFIX + "preset";

    /**
     * Resolves the layers.
     *
     * @param file        a properties file with {@code smt.*} keys, or null
     * @param environment the process environment
     * @param presetFlag  {@code --preset}, or null when not given
     * @param flags       {@code --set} overrides, keys with or without {@code smt.}
     * @throws IllegalArgumentException naming the layer and the key or value at fault
     */
    public static LayeredConfig resolve(Path file, Map<String, String> environment, String presetFlag,
                                        Map<String, String> flags) {
        Map<String, String> fromFile = file == null ? Map.of() : prefixed(readFile(file));
        Map<String, String> fromEnv = fromEnvironment(environment);
        Map<String, String> fromFlags = prefixed(flags);

        String preset = "fast";
        String presetOrigin = "default";
        if (fromFile.containsKey(PRESET)) {
            preset = fromFile.get(PRESET).trim();
            presetOrigin = "file " + file;
        }
        if (fromEnv.containsKey(PRESET)) {
            preset = fromEnv.get(PRESET).trim();
            presetOrigin = "environment " + environmentName(PRESET);
        }
        if (fromFlags.containsKey(PRESET)) {
            preset = fromFlags.get(PRESET).trim();
            presetOrigin = "--set";
        }
        if (presetFlag != null) {
            preset = presetFlag;
            presetOrigin = "--preset";
        }
        SmtConfig base = presetNamed(preset, presetOrigin);
        Map<String, String> origins = new TreeMap<>();
        base.toProperties().stringPropertyNames().forEach(key -> origins.put(key, "preset " + base.name()));
        origins.put(PRESET, presetOrigin);

        SmtConfig config = apply(base, fromFile, origins, "file " + file, "Config file " + file + ": ");
        for (Map.Entry<String, String> e : fromEnv.entrySet()) {   // one at a time, to name the variable at fault
            String variable = environmentName(e.getKey());
            config = apply(config, Map.of(e.getKey(), e.getValue()), origins, "environment " + variable,
                    "Environment variable " + variable + ": ");
        }
        config = apply(config, fromFlags, origins, "--set", "");
        return new LayeredConfig(config, origins);
    }

    private static SmtConfig presetNamed(String name, String origin) {
        try {
            return SmtConfig.preset(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    origin.equals("--preset") ? e.getMessage() : origin + ": " + e.getMessage(), e);
        }
    }

    /** {@code SMT_} plus the key without its prefix in upper snake case: smt.whitenR0 is SMT_WHITEN_R0. */
    static String environmentName(String key) {
        String field = key.substring(SmtConfig.PREFIX.length());
        return ENV_PREFIX + field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static SmtConfig apply(SmtConfig base, Map<String, String> layer, Map<String, String> origins,
                                   String origin, String errorPrefix) {
        Map<String, String> values = new LinkedHashMap<>(layer);
        values.remove(PRESET);   // chose the base above; as a plain value it would only rename it
        if (values.isEmpty()) {
            return base;
        }
        SmtConfig next;
        try {
            next = base.with(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(errorPrefix + e.getMessage(), e);
        }
        values.keySet().forEach(key -> origins.put(key, origin));
        return next;
    }

    private static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : new TreeSet<>(SmtConfig.fast().toProperties().stringPropertyNames())) {
            String value = environment.get(environmentName(key));
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    private static Map<String, String> prefixed(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k.startsWith(SmtConfig.PREFIX) ? k : SmtConfig.PREFIX + k, v));
        return out;
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Cannot read config file " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(key -> values.put(key, props.getProperty(key)));
        return values;
    }
}
