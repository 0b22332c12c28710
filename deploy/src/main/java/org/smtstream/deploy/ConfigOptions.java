package org.smtstream.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.smtstream.model.SmtConfig;
import picocli.CommandLine.Option;

/** The model configuration flags every subcommand shares: a preset plus {@code --set} overrides. */
public final class ConfigOptions {

    @Option(names = "--preset", defaultValue = "fast", paramLabel = "NAME",
            description = "Configuration preset: fast (16x16 patches, N=1024, f=64; real time on 2 cores) "
                    + "or seed (20x20, N=4000, f=200, the thesis's). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration value, e.g. --set lambda=0.2 (repeatable; keys as in "
                    + "'smt.*' of a model manifest, with or without the 'smt.' prefix).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The configuration these flags describe; bad names or values raise IllegalArgumentException. */
    public SmtConfig config() {
        return SmtConfig.preset(preset).with(overrides);
    }
}
