package org.smtstream.deploy;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtModel;
import org.smtstream.model.Topics;
import org.smtstream.model.store.ModelChunks;
import org.smtstream.model.store.ModelManifest;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.model.wire.ModelChunk;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code smt model}: the stored model versions, and putting one back on {@code smt.model}. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {
            "Lists, exports, imports, rolls back and publishes stored model versions.",
            "A model directory holds one subdirectory per version (v0000000123/) with the arrays as NumPy .npy "
                    + "files and a manifest.json; the default is '" + ModelCommand.DEFAULT_MODEL_DIR
                    + "' under the working directory."},
        subcommands = {ModelCommand.ListVersions.class, ModelCommand.Export.class, ModelCommand.Import.class,
            ModelCommand.Rollback.class, ModelCommand.Publish.class})
public final class ModelCommand implements Runnable {

    /** Where model versions are kept unless {@code --model-dir} says otherwise, relative to the working directory. */
    public static final String DEFAULT_MODEL_DIR = "models";

    private static final long PUBLISH_TIMEOUT_SECONDS = 120;
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --model-dir}, shared by every subcommand. */
    static final class ModelDirOption {
        @Option(names = "--model-dir", defaultValue = DEFAULT_MODEL_DIR, paramLabel = "DIR",
                description = "Directory of stored model versions. Default: ${DEFAULT-VALUE} (under the working "
                        + "directory).")
        Path dir;

        /** The repository in {@code dir}, which must exist: reading commands have nothing to do otherwise. */
        ModelRepository existing() {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("Model directory '" + dir + "' does not exist");
            }
            return new ModelRepository(dir);
        }
    }

    /** {@code --publish} and the Kafka flags it needs. */
    static final class PublishOptions {
        @Option(names = "--publish",
                description = "Also send the model to the smt.model topic, where processors pick it up "
                        + "(needs --bootstrap-servers).")
        boolean publish;

        @ArgGroup(exclusive = false, heading = "Kafka, for --publish:%n")
        KafkaOptions kafka;

        /** Checks the flags before anything is written, so a mistake leaves nothing half done. */
        void check() {
            if (publish && kafka == null) {
                throw new IllegalArgumentException("--publish needs --bootstrap-servers");
            }
            if (!publish && kafka != null) {
                throw new IllegalArgumentException("--bootstrap-servers is only used with --publish");
            }
        }

        /** Publishes a model that has just been stored; a failure says so and how to retry. */
        void publishIfAsked(SmtModel model, PrintWriter out) {
            if (!publish) {
                return;
            }
            try {
                publishAndReport(model, kafka, out);
            } catch (Exception e) {
                throw new IllegalStateException("v" + model.version() + " is stored but was not published: "
                        + SmtCommand.describe(e) + " (retry with 'smt model publish " + model.version() + "')", e);
            }
        }
    }

    /**
     * Sends {@code model}'s chunks to {@code smt.model} with an idempotent producer and waits until
     * the brokers acknowledged every one.
     *
     * @return the number of chunks sent
     */
    static int publish(SmtModel model, KafkaOptions kafka) throws Exception {
        kafka.ensureTopics();
        Properties props = KafkaClients.producerProps(kafka.bootstrapServers);
        props.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        List<ModelChunk> chunks = ModelChunks.split(model);
        try (KafkaProducer<String, ModelChunk> producer = new KafkaProducer<>(props,
                Topics.MODEL.keySerde().serializer(), Topics.MODEL.valueSerde().serializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (ModelChunk chunk : chunks) {
                acks.add(producer.send(
                        new ProducerRecord<>(Topics.MODEL.name(), ModelChunks.key(chunk.index()), chunk)));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
        return chunks.size();
    }

    static void publishAndReport(SmtModel model, KafkaOptions kafka, PrintWriter out) throws Exception {
        int chunks = publish(model, kafka);
        out.println("Published v" + model.version() + " to " + Topics.MODEL.name() + " on " + kafka.bootstrapServers
                + " (" + chunks + " chunks)");
    }

    /** Reads "12" or "v12", as versions are written in notes and listings. */
    static final class VersionConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String digits = value.startsWith("v") ? value.substring(1) : value;
            try {
                long version = Long.parseLong(digits);
                if (version >= 0) {
                    return version;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a model version (e.g. 12 or v12)");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the stored versions, oldest first: version, parent, creation time (UTC), frames "
                    + "seen, reconstruction SNR and note.")
    static final class ListVersions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ModelDirOption modelDir;

        @Override
        public Integer call() throws Exception {
            ModelRepository repo = modelDir.existing();
            List<ModelManifest> versions = repo.list();
            PrintWriter out = spec.commandLine().getOut();
            if (versions.isEmpty()) {
                out.println("No model versions in " + repo.dir());
                return 0;
            }
            String row = "%8s  %8s  %-19s  %12s  %8s  %s%n";
            out.printf(row, "version", "parent", "created (UTC)", "frames seen", "SNR dB", "note");
            for (ModelManifest m : versions) {
                Double snr = m.stats().get(ModelInfo.SNR_DB);
                out.printf(Locale.ROOT, row, "v" + m.version(),
                        m.parentVersion() == ModelInfo.NO_PARENT ? "-" : "v" + m.parentVersion(),
                        CREATED.format(Instant.ofEpochMilli(m.createdAtMs())), m.framesSeen(),
                        snr == null || snr.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", snr), m.note());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Copies one verified version directory (NPY arrays and manifest.json) to a new directory.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ModelDirOption modelDir;

        @Parameters(index = "0", paramLabel = "VERSION", converter = VersionConverter.class,
                description = "Version to export, e.g. 12 or v12.")
        long version;

        @Option(names = "--to", required = true, paramLabel = "PATH",
                description = "Directory to create; it must not exist yet.")
        Path target;

        @Override
        public Integer call() throws Exception {
            modelDir.existing().export(version, target);
            spec.commandLine().getOut().println("Exported v" + version + " to " + target);
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Verifies a version directory written by 'smt model export' and stores it.",
                "It keeps its version number when that is newer than every stored version, and becomes the "
                        + "newest version otherwise."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ModelDirOption modelDir;

        @Mixin
        PublishOptions publishOptions;

        @Parameters(index = "0", paramLabel = "PATH", description = "Exported version directory.")
        Path source;

        @Override
        public Integer call() throws Exception {
            publishOptions.check();
            SmtModel imported = ModelRepository.importFrom(source);
            ModelRepository repo = new ModelRepository(modelDir.dir);
            OptionalLong newest = repo.newestVersion();
            long version = newest.isPresent() && imported.version() <= newest.getAsLong()
                    ? newest.getAsLong() + 1 : imported.version();
            SmtModel stored = imported.withVersion(version);
            repo.save(stored);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Imported " + source + " as v" + version
                    + (version != imported.version() ? " (exported as v" + imported.version() + ")" : ""));
            publishOptions.publishIfAsked(stored, out);
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Stores an earlier version again as the newest one, so that followers switch back to it.",
                "The new version has the same arrays, the rolled-back version as its parent and the note "
                        + "'rollback to vN'."})
    static final class Rollback implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ModelDirOption modelDir;

        @Mixin
        PublishOptions publishOptions;

        @Parameters(index = "0", paramLabel = "VERSION", converter = VersionConverter.class,
                description = "Version to go back to, e.g. 12 or v12.")
        long version;

        @Override
        public Integer call() throws Exception {
            publishOptions.check();
            SmtModel rolledBack = modelDir.existing().rollback(version);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Rolled back to v" + version + ": stored as v" + rolledBack.version());
            publishOptions.publishIfAsked(rolledBack, out);
            return 0;
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Sends a stored version to the smt.model topic, where processors pick it up.",
                "Processors take only versions newer than the newest they have; to go back to an old version, "
                        + "use 'smt model rollback VERSION --publish'."})
    static final class Publish implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ModelDirOption modelDir;

        @Mixin
        KafkaOptions kafka;

        @Parameters(index = "0", paramLabel = "VERSION", converter = VersionConverter.class,
                description = "Version to publish, e.g. 12 or v12.")
        long version;

        @Override
        public Integer call() throws Exception {
            publishAndReport(modelDir.existing().load(version), kafka, spec.commandLine().getOut());
            return 0;
        }
    }
}
