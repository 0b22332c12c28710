package org.smtstream.deploy;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code smt config}: the effective model configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Shows the model configuration that the other commands would use.",
        subcommands = ConfigCommand.Show.class)
public final class ConfigCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code smt config show}: prints the configuration as a properties file, origins as comments. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Prints the configuration resolved from preset < --config file < SMT_* environment "
                    + "variables < --preset/--set, as a properties file that --config reads back.",
                "A comment above each value that is not the preset's says where it came from."})
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOptions configOptions;

        @Override
        public Integer call() {
            LayeredConfig layers = configOptions.layers();
            PrintWriter out = spec.commandLine().getOut();
            String presetOrigin = "preset " + layers.config().name();
            out.println("# smt-stream configuration, preset " + layers.config().name() + " (chosen by "
                    + layers.origins().get("smt.preset") + ")");
            var values = layers.config().toProperties();
            for (Map.Entry<String, String> e : layers.origins().entrySet()) {
                if (!e.getKey().equals("smt.preset") && !e.getValue().equals(presetOrigin)) {
                    out.println("# from " + e.getValue());
                }
                out.println(e.getKey() + "=" + values.getProperty(e.getKey()));
            }
            out.flush();
            return 0;
        }
    }
}
