package org.smtstream.processor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.smtstream.model.Json;

/**
 * Runs the JMH benchmarks of this package in one go and derives the figures the docs report, all
 * from the same run: achieved GFLOP/s against the machine's SGEMM rate, the ND4J coder against the
 * plain reference, frames per second per preset. Writes JMH's own JSON, a summary JSON and a
 * Markdown table into the directory given as first argument (default {@code target/benchmarks}); an
 * optional second argument narrows the benchmarks to those whose class name matches it.
 *
 * <pre>
 *   mvn -pl stream-processor -Pbench test-compile exec:exec
 *   mvn -pl stream-processor -Pbench test-compile exec:exec -Dbench.only=Sgemm
 * </pre>
 */
public final class BenchmarkReport {

    private static final String ALL = "Sgemm|SparseCoding|Embedding";

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/benchmarks");
        Files.createDirectories(out);
        String benchmarks = args.length > 1 ? args[1] : ALL;
        Options options = new OptionsBuilder()
                .include(BenchmarkReport.class.getPackageName() + "\\.(" + benchmarks + ")Benchmark")
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Xmx3g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                        "-Dorg.bytedeco.javacpp.maxbytes=0")
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("jmh-result.json").toString())
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Double> msPerOp = new LinkedHashMap<>();
        Map<String, Double> errorMs = new LinkedHashMap<>();
        for (RunResult r : results) {
            String key = r.getParams().getBenchmark().replace(BenchmarkReport.class.getPackageName() + ".", "");
            String preset = r.getParams().getParam("preset");
            if (preset != null) {
                key += "[" + preset + "]";
            }
            msPerOp.put(key, r.getPrimaryResult().getScore());
            errorMs.put(key, r.getPrimaryResult().getScoreError());
        }
        Summary summary = Summary.of(msPerOp, errorMs, Environment.describe());
        Files.writeString(out.resolve("summary.json"), summary.json());
        Files.writeString(out.resolve("summary.md"), summary.markdown());
        System.out.println(summary.markdown());
    }

    /** Figures derived from one run. */
    record Summary(Map<String, Double> msPerOp, Map<String, Double> errorMs, Map<String, String> environment,
                   Map<String, Double> derived) {

        static Summary of(Map<String, Double> ms, Map<String, Double> err, Map<String, String> env) {
            Map<String, Double> d = new LinkedHashMap<>();
            Double sgemm = ms.get("SgemmBenchmark.sgemm");
            double sgemmRate = sgemm == null ? Double.NaN : SgemmBenchmark.flopsPerOp() / (sgemm * 1e6);
            d.put("sgemm_gflops", sgemmRate);
            for (String preset : List.of("fast", "seed")) {
                Double nd4j = ms.get("SparseCodingBenchmark.nd4jFista[" + preset + "]");
                Double plain = ms.get("SparseCodingBenchmark.plainFista[" + preset + "]");
                Double activeSet = ms.get("SparseCodingBenchmark.activeSet[" + preset + "]");
                double flops = SparseCodingBenchmark.flopsPerOp(preset);
                if (nd4j != null) {
                    double rate = flops / (nd4j * 1e6);
                    d.put(preset + "_fista_gflops", rate);
                    d.put(preset + "_fista_fraction_of_sgemm", rate / sgemmRate);
                }
                if (nd4j != null && plain != null) {
                    d.put(preset + "_speedup_over_plain", plain / nd4j);
                    d.put(preset + "_plain_gflops", flops / (plain * 1e6));
                }
                if (nd4j != null && activeSet != null) {
                    d.put(preset + "_active_set_over_fista_time", activeSet / nd4j);
                }
            }
            return new Summary(ms, err, env, d);
        }

        String json() {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("environment", environment);
            summary.put("ms_per_op", msPerOp);
            summary.put("ms_per_op_error99", errorMs);
            summary.put("derived", derived);
            return Json.writePretty(summary);
        }

        String markdown() {
            StringBuilder sb = new StringBuilder();
            environment.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
            sb.append("\n| benchmark | ms/op | ± (99.9%) |\n|---|---:|---:|\n");
            msPerOp.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f |%n",
                    k, v, errorMs.get(k))));
            sb.append("\n| derived figure | value |\n|---|---:|\n");
            derived.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "| %s | %.3f |%n", k, v)));
            return sb.toString();
        }
    }

    /** CPU model, cores and the environment variables that change BLAS speed. */
    static final class Environment {
        static Map<String, String> describe() throws IOException {
            Map<String, String> env = new LinkedHashMap<>();
            Path cpuinfo = Path.of("/proc/cpuinfo");
            env.put("cpu", Files.isReadable(cpuinfo) ? Files.readAllLines(cpuinfo).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown") : System.getProperty("os.arch"));
            env.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
            env.put("java", System.getProperty("java.version"));
            for (String name : List.of("OMP_WAIT_POLICY", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")) {
                env.put(name, String.valueOf(System.getenv(name)));
            }
            return env;
        }
    }
}
