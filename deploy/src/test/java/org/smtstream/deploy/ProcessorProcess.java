package org.smtstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code smt process} in a JVM of its own, started from this JVM's class path, for tests that kill
 * processors the way a machine failure does. Its output goes to a log file beside its state.
 */
final class ProcessorProcess implements AutoCloseable {

    /** Heap for the Streams client (ND4J's arrays are off-heap); natives limited as in the test JVMs. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx768m", "-XX:+UseSerialGC",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=0", "-Dorg.bytedeco.javacpp.maxbytes=0");

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    /**
     * @param args arguments of {@code smt process}
     */
    ProcessorProcess(String name, Path home, List<String> args) {
        this(name, home, List.of(), args);
    }

    /**
     * @param jvmOptions options for its JVM beyond the default ones
     * @param args       arguments of {@code smt process}
     */
    ProcessorProcess(String name, Path home, List<String> jvmOptions, List<String> args) {
        this.name = name;
        this.log = home.resolve(name + ".log");
        this.command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SmtCommand.class.getName(), "process"));
        command.addAll(args);
    }

    /** Starts the JVM (again, after a kill or stop: same arguments, same state directory). */
    ProcessorProcess start() {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start processor " + name, e);
        }
        return this;
    }

    /** SIGKILL: no shutdown hook, no commit, no clean close, open transactions left behind. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits until the processor has said it runs (ND4J warmed up, Streams started). */
    void awaitRunning(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Processor " + name + " exited with " + process.exitValue() + ":\n"
                        + tail());
            }
            if (Files.exists(log) && Files.readString(log).contains("smt-stream processor running")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Processor " + name + " not running after " + timeout.toSeconds() + " s:\n"
                + tail());
    }

    /** The operating-system process id of the running JVM. */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String name() {
        return name;
    }

    /** Where its output goes. */
    Path log() {
        return log;
    }

    /** The last lines of its output, for failure messages. */
    String tail() throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** SIGTERM (a clean close through the shutdown hook), then SIGKILL after 40 s. */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
