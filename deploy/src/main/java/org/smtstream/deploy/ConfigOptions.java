package org.smtstream.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.smtstream.model.SmtConfig;
import picocli.CommandLine.Option;

/**
 * The model configuration flags every subcommand shares: a preset, a properties file, and
 * {@code --set} overrides, on top of {@code SMT_*} environment variables (see {@link LayeredConfig}
 * for the order).
 */
public final class ConfigOptions {

    /** Names the config file when {@code --config} is not given. */
    static final String CONFIG_ENV = "SMT_CONFIG";

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Configuration preset: fast (16x16 patches, N=1024, f=64; the live preset) "
                    + "or seed (20x20, N=4000, f=200, the thesis's). Default: smt.preset of the config file "
                    + "or SMT_PRESET, else fast.")
    String preset;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with smt.* keys (as printed by 'smt config show'); environment "
                    + "variables SMT_<KEY> (e.g. SMT_LAMBDA, SMT_MAX_ITERATIONS) override it, --preset and --set "
                    + "override both. Default: $" + CONFIG_ENV + " if set.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration value, e.g. --set lambda=0.2 (repeatable; keys as in "
                    + "'smt.*' of a model manifest, with or without the 'smt.' prefix).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The process environment; tests substitute their own. */
    Map<String, String> environment = System.getenv();

    /** The configuration these flags describe; bad names or values raise IllegalArgumentException. */
    public SmtConfig config() {
        return layers().config();
    }

    /** The configuration with the origin of every value. */
    LayeredConfig layers() {
        Path file = configFile;
        if (file == null && environment.get(CONFIG_ENV) != null && !environment.get(CONFIG_ENV).isBlank()) {
            file = Path.of(environment.get(CONFIG_ENV));
        }
        return LayeredConfig.resolve(file, environment, preset, overrides);
    }
}
