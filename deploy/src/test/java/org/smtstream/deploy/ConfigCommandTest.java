package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.SmtConfig;
import picocli.CommandLine;

/** {@code smt config show} and the precedence preset < file < environment < flags. */
class ConfigCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code smt config show ...} with {@code environment} as the process environment. */
    private int show(Map<String, String> environment, String... args) {
        CommandLine cmd = SmtCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        CommandLine show = cmd.getSubcommands().get("config").getSubcommands().get("show");
        ((ConfigCommand.Show) show.getCommand()).configOptions.environment = environment;
        String[] all = new String[args.length + 2];
        all[0] = "config";
        all[1] = "show";
        System.arraycopy(args, 0, all, 2, args.length);
        return cmd.execute(all);
    }

    private Path file(String content) throws Exception {
        Path file = dir.resolve("smt.properties");
        Files.writeString(file, content);
        return file;
    }

    private SmtConfig shown() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(out.toString()));
        return SmtConfig.of(p);
    }

    @Test
    void shouldPrintThePresetAsAPropertiesFileThatReadsBack() throws Exception {
        assertEquals(0, show(Map.of()));
        assertEquals(SmtConfig.fast(), shown());
        assertTrue(out.toString().startsWith("# smt-stream configuration, preset fast (chosen by default)"),
                out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void shouldLetTheEnvironmentOverrideTheFileAndFlagsOverrideBoth() throws Exception {
        Path file = file("smt.lambda=0.1\nsmt.maxIterations=20\nsmt.tolerance=0.01\n");
        Map<String, String> env = Map.of("SMT_LAMBDA", "0.2", "SMT_MAX_ITERATIONS", "30");
        assertEquals(0, show(env, "--config", file.toString(), "--set", "maxIterations=40"));
        SmtConfig config = shown();
        assertEquals(0.01, config.tolerance(), "from the file alone");
        assertEquals(0.2, config.lambda(), "the environment over the file");
        assertEquals(40, config.maxIterations(), "--set over the environment and the file");
        assertEquals(SmtConfig.fast().dictionarySize(), config.dictionarySize(), "untouched keys keep the preset's");
        assertTrue(out.toString().contains("# from environment SMT_LAMBDA\nsmt.lambda=0.2\n"), out.toString());
        assertTrue(out.toString().contains("# from file " + file + "\nsmt.tolerance=0.01\n"), out.toString());
        assertTrue(out.toString().contains("# from --set\nsmt.maxIterations=40\n"), out.toString());
    }

    @Test
    void shouldShowTheSettingsOfTheInverseAndTakeThemFromEveryLayer() throws Exception {
        Path file = file("smt.inverseLambdaFraction=0.1\n");
        assertEquals(0, show(Map.of("SMT_INVERSE_ITERATIONS", "120"), "--config", file.toString()));
        SmtConfig config = shown();
        assertEquals(0.1, config.inverseLambdaFraction(), "from the file");
        assertEquals(120, config.inverseIterations(), "from the environment");
        assertTrue(out.toString().contains("# from environment SMT_INVERSE_ITERATIONS\nsmt.inverseIterations=120\n"),
                out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, show(Map.of(), "--set", "inverseIterations=80"));
        assertEquals(80, shown().inverseIterations());
        assertTrue(out.toString().contains("\nsmt.inverseLambdaFraction=0.005\n"),
                "the preset's value is shown: " + out);
    }

    @Test
    void shouldTakeThePresetFromTheFileUnlessAFlagNamesOne() throws Exception {
        Path file = file("smt.preset=seed\nsmt.lambda=0.25\n");
        assertEquals(0, show(Map.of(), "--config", file.toString()));
        assertEquals(SmtConfig.seed().with(Map.of("lambda", "0.25")), shown());

        out.getBuffer().setLength(0);
        assertEquals(0, show(Map.of(), "--config", file.toString(), "--preset", "fast"));
        assertEquals(SmtConfig.fast().with(Map.of("lambda", "0.25")), shown());
    }

    @Test
    void shouldReadTheFileNamedBySmtConfigAndIgnoreOtherSmtVariables() throws Exception {
        Path file = file("dictionarySize=512\n");   // the smt. prefix is optional, as for --set
        assertEquals(0, show(Map.of("SMT_CONFIG", file.toString(), "SMT_HOME", "/opt/smt", "SMT_OPTS", "-Xmx1g")));
        assertEquals(512, shown().dictionarySize());
    }

    @Test
    void shouldRejectAnUnknownKeyInTheFileWithOneLineNamingTheFile() throws Exception {
        Path file = file("smt.lamda=0.2\n");
        assertEquals(1, show(Map.of(), "--config", file.toString()));
        String message = err.toString().trim();
        assertTrue(message.startsWith(
                "smt config show: Config file " + file + ": Unknown configuration key: 'smt.lamda'"), message);
        assertEquals(1, message.lines().count(), message);
        assertEquals("", out.toString());
    }

    @Test
    void shouldRejectABadEnvironmentValueNamingTheVariable() {
        assertEquals(1, show(Map.of("SMT_MAX_ITERATIONS", "many")));
        assertEquals("smt config show: Environment variable SMT_MAX_ITERATIONS: Invalid smt.maxIterations: 'many' "
                + "(expected an integer)", err.toString().trim());
    }

    @Test
    void shouldRejectAMissingFile() {
        assertEquals(1, show(Map.of(), "--config", dir.resolve("absent.properties").toString()));
        assertEquals("smt config show: Cannot read config file " + dir.resolve("absent.properties") + ": no such file",
                err.toString().trim());
    }

    @Test
    void shouldRejectAnUnknownPresetInTheEnvironment() {
        assertEquals(1, show(Map.of("SMT_PRESET", "slow")));
        assertEquals("smt config show: environment SMT_PRESET: Unknown preset: 'slow' (expected fast or seed)",
                err.toString().trim());
    }

    @Test
    void shouldGiveEveryCommandTheConfigFlag() {
        CommandLine cmd = SmtCommand.commandLine();
        for (String sub : new String[] {"demo", "ingest", "process"}) {
            assertTrue(cmd.getSubcommands().get(sub).getCommandSpec().findOption("--config") != null, sub);
        }
    }

    @Test
    void shouldNameEnvironmentVariablesInUpperSnakeCase() {
        assertEquals("SMT_LAMBDA", LayeredConfig.environmentName("smt.lambda"));
        assertEquals("SMT_DICTIONARY_SIZE", LayeredConfig.environmentName("smt.dictionarySize"));
        assertEquals("SMT_WHITEN_R0", LayeredConfig.environmentName("smt.whitenR0"));
        assertEquals("SMT_GAMMA0", LayeredConfig.environmentName("smt.gamma0"));
    }
}
