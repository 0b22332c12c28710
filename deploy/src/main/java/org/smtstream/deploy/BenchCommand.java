package org.smtstream.deploy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.smtstream.processor.offline.FrameBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smt bench}: a short timing of the per-frame math per preset against the same run's SGEMM rate. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Times the processor's per-frame work (eq. 3.4 inference and the online learner) for each preset, "
                    + "beside the same run's SGEMM rate and the bare GEMMs of the sparse coder, and writes "
                    + "bench.json and bench.md.",
            "A short in-process harness (warm-up, then median and p90); the JMH suite with the full figures of the "
                    + "benchmark notes runs from the source tree: "
                    + "mvn -pl stream-processor -Pbench test-compile exec:exec.",
            "Run with OMP_WAIT_POLICY=PASSIVE, and for a benchmark run only, without OPENBLAS_CORETYPE and "
                    + "OPENBLAS_L2_SIZE."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Preset to time (repeatable). Default: fast and seed.")
    List<String> presets = new ArrayList<>();

    @Option(names = "--frames", defaultValue = "30", paramLabel = "N",
            description = "Measured frames per preset. Default: ${DEFAULT-VALUE}.")
    int frames;

    @Option(names = "--warm-up", defaultValue = "10", paramLabel = "N",
            description = "Frames before measuring. Default: ${DEFAULT-VALUE}.")
    int warmUp;

    @Option(names = "--out", defaultValue = "bench", paramLabel = "DIR",
            description = "Where bench.json and bench.md go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || warmUp < 3) {
            throw new IllegalArgumentException(
                    "Need --frames >= 1 and --warm-up >= 3 (P is learned during the warm-up)");
        }
        FrameBench bench = FrameBench.run(presets.isEmpty() ? List.of("fast", "seed") : presets, warmUp, frames);
        List<Path> written = bench.writeTo(out);
        PrintWriter console = spec.commandLine().getOut();
        console.print(bench.toMarkdown());
        console.println("Written: " + written.stream().map(Path::toString).collect(Collectors.joining(", ")));
        console.flush();
        return 0;
    }
}
