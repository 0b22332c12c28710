package org.smtstream.ingest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.javacv.Frame;
import org.smtstream.ingest.IngestJob;
import org.smtstream.ingest.IngestSettings;
import org.smtstream.ingest.IngestSummary;
import org.smtstream.ingest.Pacing;
import org.smtstream.ingest.preprocess.PreprocessingOptions;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.ingest.source.VideoFileSource;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.PatchFrame;

/**
 * Measurements reported in the ingest notes, not tests (nothing here asserts a time). Run from
 * the module with the test classpath, for example:
 * <pre>{@code
 * mvn -q -pl ingest test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat cp.txt) org.smtstream.ingest.bench.IngestMeasurements \
 *      throughput /path/to/vtest.avi
 * }</pre>
 * <ul>
 *   <li>{@code replay FILE}: publishes FILE at native pacing into a MockProducer and reports the
 *       achieved frame rate from the records' capture times (first to last frame).</li>
 *   <li>{@code throughput FILE}: frames per second of each stage on FILE's frames, with warm-up
 *       and repeated trials (median): decoding alone; decoding + crop/gray/pyramid (no whitening);
 *       preprocessing alone on decoded frames held in memory, with and without whitening; the
 *       whole job into a MockProducer at unlimited pacing.</li>
 *   <li>{@code compression FILE}: size and time of each Kafka compression type on patch records.</li>
 * </ul>
 */
public final class IngestMeasurements {

    private static final SmtConfig CONFIG = SmtConfig.fast();
    private static final int TRIALS = 3;

    private IngestMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: IngestMeasurements replay|throughput|compression FILE");
            System.exit(2);
        }
        Path file = Path.of(args[1]);
        System.out.println("CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores; "
                + "OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE") + ", OPENBLAS_L2_SIZE="
                + System.getenv("OPENBLAS_L2_SIZE"));
        switch (args[0]) {
            case "replay" -> replay(file);
            case "throughput" -> throughput(file);
            case "compression" -> compression(file);
            default -> throw new IllegalArgumentException("Unknown measurement: " + args[0]);
        }
    }

    private static void replay(Path file) {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        IngestSummary summary = new IngestJob(CONFIG, IngestSettings.of(file, "replay"), producer).call();
        List<Long> captures = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (r.topic().equals(Topics.PATCHES.name())) {
                captures.add(Topics.PATCHES.valueSerde().deserializer()
                        .deserialize(r.topic(), r.value()).captureTimeMs());
            }
        }
        double seconds = (captures.get(captures.size() - 1) - captures.get(0)) / 1000.0;
        double fps = (captures.size() - 1) / seconds;
        long late = 0;
        long worst = 0;
        for (int i = 0; i < captures.size(); i++) {
            long lag = captures.get(i) - (captures.get(0) + Math.round(i * 1000 / fpsOf(file)));
            worst = Math.max(worst, Math.abs(lag));
            late += Math.abs(lag) > 20 ? 1 : 0;
        }
        System.out.printf("replay %s: %d frames over %.2f s = %.3f fps (source %.3f fps, %+.2f %%); "
                        + "largest deviation from the schedule %d ms, %d frames off by more than 20 ms; %s%n",
                file.getFileName(), captures.size(), seconds, fps, fpsOf(file), 100 * (fps / fpsOf(file) - 1),
                worst, late, summary);
    }

    private static double fpsOf(Path file) {
        try (VideoFileSource source = VideoFileSource.open(file)) {
            return source.frameRate();
        }
    }

    private static void throughput(Path file) {
        List<Frame> frames = new ArrayList<>();
        int width;
        int height;
        try (VideoFileSource source = VideoFileSource.open(file)) {
            width = source.width();
            height = source.height();
            for (Frame f; (f = source.grab()) != null && frames.size() < 200; ) {
                frames.add(f.clone());
            }
        }
        System.out.printf("input %s: %dx%d, stages in frames/s (median of %d trials after a warm-up)%n",
                file.getFileName(), width, height, TRIALS);
        report("decode only", () -> decode(file, f -> { }));
        Preprocessor plain = new Preprocessor(CONFIG);
        report("decode + crop/gray/pyramid, no whitening", () -> decode(file, plain::grayscale));
        report("decode + preprocess (Fourier whitening) + patches",
                () -> decode(file, f -> CONFIG.geometry().cut(plain.process(f).whitened())));
        report("preprocess in memory: crop/gray/pyramid, no whitening", () -> inMemory(frames, plain::grayscale));
        report("preprocess in memory: + Fourier whitening", () -> inMemory(frames, plain::process));
        Preprocessor lcn = new Preprocessor(CONFIG, PreprocessingOptions.DEFAULT.withLocalContrast(true));
        report("preprocess in memory: + Fourier whitening + local contrast", () -> inMemory(frames, lcn::process));
        Preprocessor zca = new Preprocessor(CONFIG, PreprocessingOptions.DEFAULT
                .withWhitening(PreprocessingOptions.Whitening.ZCA));
        zca.fit(frames.subList(0, 10).stream().map(zca::grayscale).toList());
        report("preprocess in memory: + ZCA whitening", () -> inMemory(frames, zca::process));
        report("whole job, Fourier (MockProducer, pacing max)", () -> job(file, PreprocessingOptions.DEFAULT));
        frames.forEach(Frame::close);
    }

    private static double decode(Path file, Consumer<Frame> work) {
        long start = System.nanoTime();
        int n = 0;
        try (VideoFileSource source = VideoFileSource.open(file)) {
            for (Frame f; (f = source.grab()) != null; n++) {
                work.accept(f);
            }
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static double inMemory(List<Frame> frames, Consumer<Frame> work) {
        long start = System.nanoTime();
        frames.forEach(work);
        return frames.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double job(Path file, PreprocessingOptions options) {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        IngestSettings settings = IngestSettings.of(SourceSpec.file(file), "bench").withPacing(Pacing.UNLIMITED)
                .withPreprocessing(options);
        return new IngestJob(CONFIG, settings, producer).call().fps();
    }

    private static void report(String stage, DoubleSupplier trial) {
        trial.getAsDouble(); // warm-up: JIT, native loading, caches
        double[] fps = new double[TRIALS];
        for (int i = 0; i < TRIALS; i++) {
            fps[i] = trial.getAsDouble();
        }
        Arrays.sort(fps);
        System.out.printf("  %-60s %7.1f fps  (%.2f ms/frame; trials %s)%n", stage, fps[TRIALS / 2],
                1000 / fps[TRIALS / 2],
                Arrays.toString(Arrays.stream(fps).map(v -> Math.round(v * 10) / 10.0).toArray()));
    }

    private static void compression(Path file) {
        Preprocessor preprocessor = new Preprocessor(CONFIG);
        PatchGeometry patcher = CONFIG.geometry();
        var serializer = Topics.PATCHES.valueSerde().serializer();
        List<byte[]> values = new ArrayList<>();
        try (VideoFileSource source = VideoFileSource.open(file)) {
            for (Frame f; (f = source.grab()) != null && values.size() < 200; ) {
                PatchFrame frame = new PatchFrame("cam", values.size(), 0, CONFIG.frameSize(), CONFIG.patchSize(),
                        CONFIG.stride(), patcher.cut(preprocessor.process(f).whitened()));
                values.add(serializer.serialize(Topics.PATCHES.name(), frame));
            }
        }
        for (Compression c : List.of(Compression.NONE, Compression.lz4().build(), Compression.snappy().build(),
                Compression.zstd().build(), Compression.gzip().build())) {
            long best = Long.MAX_VALUE;
            long bytes = 0;
            long raw = 0;
            for (int trial = 0; trial <= TRIALS; trial++) {
                bytes = 0;
                raw = 0;
                long start = System.nanoTime();
                for (byte[] v : values) {
                    raw += v.length;
                    bytes += MemoryRecords.withRecords(c, new SimpleRecord(0L, "cam".getBytes(), v)).sizeInBytes();
                }
                best = trial == 0 ? best : Math.min(best, System.nanoTime() - start);
            }
            System.out.printf("  %-7s %6.1f KiB a record, %.3f of the raw value, %.3f ms a record%n", c.type().name,
                    bytes / 1024.0 / values.size(), (double) bytes / raw, best / 1e6 / values.size());
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
