package org.smtstream.deploy;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smtstream.ingest.source.SourceSpec;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.store.Npy;
import org.smtstream.processor.offline.Clip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smt patches}: the whitened patches of a recording as one NPY file, so that an exported model
 * can be checked with numpy on exactly the inputs the processor codes.
 */
@Command(name = "patches", mixinStandardHelpOptions = true,
        description = {
            "Writes the whitened patches of a recording, prepared exactly as ingest prepares them for the processor "
                    + "(decode, gray, centre crop, downsample, whitening, patches of the preset's geometry), as a "
                    + "float32 NPY array of shape (frames, patches per frame, patch pixels).",
            "Patch k of a frame is row-major over the patch grid; its pixels are row-major within the patch. "
                    + "With a model version's phi.npy (patch pixels x atoms), the codes of X[t][k] are the "
                    + "positive lasso of that patch on the columns of phi."})
public final class PatchesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--input", paramLabel = "CLIP",
            description = "The recording: video file, image directory or numbered pattern. Default: the bundled clip.")
    String input;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "The NPY file to write.")
    Path out;

    @Option(names = "--max-frames", defaultValue = "0", paramLabel = "N",
            description = "Read at most N frames (0 = all; required for a camera or stream).")
    int maxFrames;

    @Override
    public Integer call() throws Exception {
        if (maxFrames < 0) {
            throw new IllegalArgumentException("Invalid --max-frames: " + maxFrames + " (0 = all)");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new IllegalArgumentException("No directory " + parent + " for --out " + out);
        }
        SmtConfig config = configOptions.config();
        SourceSpec source = ClipReader.orBundled(input);
        Clip clip = ClipReader.read(source, config, maxFrames);
        int[] shape = {clip.size(), config.patchesPerFrame(), config.patchDim()};
        Npy.write(out, shape, clip.frames());
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf(Locale.ROOT, "Wrote %s: %d frames x %d patches x %d pixels (%dx%d, %s preset), float32%n", out,
                shape[0], shape[1], shape[2], config.patchSize(), config.patchSize(), config.name());
        printer.flush();
        return 0;
    }
}
