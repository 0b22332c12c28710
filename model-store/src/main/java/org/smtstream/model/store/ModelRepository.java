package org.smtstream.model.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtModel;

/**
 * Model versions on disk, one directory per version:
 * <pre>
 * DIR/v0000000123/manifest.json   {@link ModelManifest}, pretty-printed, with file names
 * DIR/v0000000123/phi.npy         and p.npy, v.npy, mean.npy, needles.npy where present (see {@link Npy})
 * </pre>
 * A version is written into a temporary sibling directory, forced to disk and renamed into place
 * in one atomic step, so a crash leaves either the whole version or a temporary directory that
 * {@link #list()} ignores. Stored versions are never overwritten. Reads verify every array's
 * SHA-256 and shape against the manifest.
 */
public final class ModelRepository {

    public static final String MANIFEST_FILE = "manifest.json";

    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);
    private static final Pattern VERSION_DIR = Pattern.compile("v\\d{10,19}");
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path dir;

    public ModelRepository(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Where version {@code version} is stored. */
    public Path versionDir(long version) {
        return dir.resolve(String.format(Locale.ROOT, "v%010d", version));
    }

    /**
     * Stores {@code model} as a new version directory.
     *
     * @return the version directory
     * @throws FileAlreadyExistsException when the version is already stored
     */
    public Path save(SmtModel model) throws IOException {
        Path target = versionDir(model.version());
        if (Files.exists(target)) {
            throw alreadyStored(model.version(), target);
        }
        Files.createDirectories(dir);
        // A sibling on the same file system, so the final rename is atomic; default permissions, unlike
        // createTempDirectory.
        Path temp = Files.createDirectory(dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID()));
        try {
            for (Map.Entry<String, FloatMatrix> a : ModelManifest.namedArrays(model).entrySet()) {
                Npy.write(temp.resolve(ModelManifest.ArrayEntry.fileName(a.getKey())), a.getValue());
            }
            writeAndForce(temp.resolve(MANIFEST_FILE), ModelManifest.of(model, true).toJson(true));
            forceDirectory(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                // rename(2) fails on a non-empty target: another writer stored this version meanwhile.
                if (Files.exists(target)) {
                    throw alreadyStored(model.version(), target);
                }
                throw e;
            }
            forceDirectory(dir);
            return target;
        } finally {
            FileTrees.deleteRecursively(temp);
        }
    }

    /** Manifests of every complete version, oldest first; temporary and unreadable directories are skipped. */
    public List<ModelManifest> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ModelManifest> manifests = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                p -> VERSION_DIR.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))) {
            for (Path versionDir : entries) {
                readListedManifest(versionDir).ifPresent(manifests::add);
            }
        }
        manifests.sort(Comparator.comparingLong(ModelManifest::version));
        return manifests;
    }

    /** The newest stored version number, if any. */
    public OptionalLong newestVersion() throws IOException {
        List<ModelManifest> all = list();
        return all.isEmpty() ? OptionalLong.empty() : OptionalLong.of(all.get(all.size() - 1).version());
    }

    /**
     * Reads and verifies one stored version.
     *
     * @throws NoSuchFileException   when the version is not stored
     * @throws ModelFormatException  when a file is malformed, truncated or fails its checksum (the message names it)
     */
    public SmtModel load(long version) throws IOException {
        Path versionDir = versionDir(version);
        if (!Files.isRegularFile(versionDir.resolve(MANIFEST_FILE))) {
            throw new NoSuchFileException(versionDir.toString(), null, "no model version " + version
                    + storedVersionsHint());
        }
        SmtModel model = read(versionDir);
        if (model.version() != version) {
            throw new ModelFormatException(versionDir.resolve(MANIFEST_FILE) + " holds version " + model.version()
                    + ", expected " + version);
        }
        return model;
    }

    /** The newest stored version, verified. */
    public Optional<SmtModel> latest() throws IOException {
        OptionalLong newest = newestVersion();
        return newest.isPresent() ? Optional.of(load(newest.getAsLong())) : Optional.empty();
    }

    /**
     * Copies a verified version directory to {@code target}, which must not exist yet; its parent
     * directories are created.
     */
    public void export(long version, Path target) throws IOException {
        load(version);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "export target already exists");
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.createDirectory(target);
        try (Stream<Path> files = Files.list(versionDir(version))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
    }

    /**
     * One model from a directory that is either a single version ({@link #importFrom}) or a repository
     * (its newest version).
     *
     * @throws IllegalArgumentException when the directory does not exist or holds no version
     */
    public static SmtModel open(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(MANIFEST_FILE))) {
            return importFrom(dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Model directory '" + dir + "' does not exist");
        }
        return new ModelRepository(dir).latest().orElseThrow(() ->
                new IllegalArgumentException("No model version in " + dir));
    }

    /**
     * Reads and verifies a version directory written by {@link #export} (or {@link #save}) anywhere.
     * The model keeps the version it was stored under; the caller decides which version it gets here.
     */
    public static SmtModel importFrom(Path source) throws IOException {
        if (!Files.isRegularFile(source.resolve(MANIFEST_FILE))) {
            throw new NoSuchFileException(source.toString(), null, "not a model version directory (no "
                    + MANIFEST_FILE + ")");
        }
        return read(source);
    }

    /**
     * Stores version {@code version} again as the newest version, so that followers switch back to
     * it: same arrays, version (newest + 1), parent {@code version}, note "rollback to v{@code version}".
     * Publishing it is up to the caller.
     *
     * @return the stored rollback version
     */
    public SmtModel rollback(long version) throws IOException {
        SmtModel old = load(version);
        long next = newestVersion().orElse(version) + 1;
        ModelInfo info = old.info();
        SmtModel rolledBack = old.withVersion(next, new ModelInfo(version, System.currentTimeMillis(),
                info.framesSeen(), info.rejectedUpdates(), "rollback to v" + version, info.stats()));
        save(rolledBack);
        return rolledBack;
    }

    private static SmtModel read(Path versionDir) throws IOException {
        Path manifestFile = versionDir.resolve(MANIFEST_FILE);
        ModelManifest manifest = ModelManifest.fromJson(Files.readAllBytes(manifestFile), manifestFile.toString());
        manifest.validate(manifestFile.toString(), true);
        Map<String, FloatMatrix> arrays = new LinkedHashMap<>();
        for (ModelManifest.ArrayEntry a : manifest.arrays()) {
            Path file = versionDir.resolve(a.file());
            if (!Files.isRegularFile(file)) {
                throw new ModelFormatException("Missing " + file + " listed in " + manifestFile);
            }
            FloatMatrix m = Npy.read(file);
            if (m.rows() != a.rows() || m.cols() != a.cols()) {
                throw new ModelFormatException("Shape mismatch in " + file + ": " + m.rows() + "x" + m.cols()
                        + ", manifest says " + a.rows() + "x" + a.cols());
            }
            String actual = Float32.sha256(m.data());
            if (!actual.equals(a.sha256())) {
                throw new ModelFormatException("Checksum mismatch in " + file + ": manifest sha256 " + a.sha256()
                        + ", file " + actual);
            }
            arrays.put(a.name(), m);
        }
        return manifest.toModel(arrays, versionDir.toString());
    }

    private Optional<ModelManifest> readListedManifest(Path versionDir) throws IOException {
        Path file = versionDir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(file)) {
            LOG.warn("Skipped {}: no {}", versionDir, MANIFEST_FILE);
            return Optional.empty();
        }
        try {
            ModelManifest manifest = ModelManifest.fromJson(Files.readAllBytes(file), file.toString());
            if (!versionDir(manifest.version()).getFileName().equals(versionDir.getFileName())) {
                throw new ModelFormatException(file + " holds version " + manifest.version());
            }
            return Optional.of(manifest);
        } catch (ModelFormatException e) {
            LOG.warn("Skipped {}: {}", versionDir, e.getMessage());
            return Optional.empty();
        }
    }

    private String storedVersionsHint() throws IOException {
        List<ModelManifest> all = list();
        if (all.isEmpty()) {
            return " (no versions stored)";
        }
        return " (stored: " + String.join(", ", all.stream().map(m -> "v" + m.version()).toList()) + ")";
    }

    private static FileAlreadyExistsException alreadyStored(long version, Path target) {
        return new FileAlreadyExistsException(target.toString(), null,
                "model version " + version + " is already stored; stored versions are never overwritten");
    }

    private static void writeAndForce(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** Makes a directory's entries durable; file systems that cannot open directories are skipped. */
    private static void forceDirectory(Path directory) {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot force directory {}: {}", directory, e.toString());
        }
    }
}
