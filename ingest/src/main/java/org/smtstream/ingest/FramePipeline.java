package org.smtstream.ingest;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.smtstream.ingest.preprocess.PreprocessedFrame;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.IngestFaults;
import org.smtstream.model.wire.PatchFrame;

/**
 * Preprocesses the frames of one stream and publishes them: a {@link PatchFrame} per frame and a
 * rate-limited INPUT preview (the S x S gray frame before whitening). The per-run state of one
 * {@link IngestJob}, confined to its thread.
 *
 * <p>Frame indices count from 0 and advance by one per frame, plus the frames the source missed
 * since the previous one ({@link org.smtstream.ingest.source.FrameSource#missedFrames()}): those a
 * live source dropped because publishing fell behind, and those lost while it was reconnecting (a
 * live source's first index counts what it dropped before its first frame was taken). So the
 * indices of a recording are consecutive, and a gap in the indices of a live stream marks a gap in
 * its pictures, where the processor starts its trajectory again instead of differencing two frames
 * that were not neighbours. Frames skipped as corrupt do not advance them.
 *
 * <p>With ZCA whitening the transform is fitted on the first frames of the run: those frames are
 * held as S x S gray frames (64 KiB each at S = 128) until there are enough, then published in
 * order. A run that ends or stops earlier fits on the frames it has. So the first frames of a ZCA
 * run are published late, never lost.
 *
 * <p>Blank frames ({@link org.smtstream.model.BlankFrame}) are published like any other, as zeros, so
 * frame indices stay those of the source; they are counted ({@link #blank()}).
 */
final class FramePipeline {

    /** A frame waiting for the ZCA fit. */
    private record HeldFrame(float[] gray, long index, long captureTimeMs) {
    }

    private final SmtConfig config;
    private final String streamId;
    private final int fitFrames;
    private final PatchPublisher publisher;
    private final Preprocessor preprocessor;
    private final PatchGeometry geometry;
    private final PreviewThrottle previews;
    private final List<HeldFrame> held = new ArrayList<>();
    private long accepted;
    private long published;
    private long blank;
    /** Index given to the last accepted frame (-1 before the first), and the source's missed count then. */
    private long lastIndex = -1;
    private long lastMissed;
    /** The source's losses when the newest frame was taken, sent with every frame published. */
    private IngestFaults faults = IngestFaults.NONE;

    FramePipeline(SmtConfig config, IngestSettings settings, PatchPublisher publisher) {
        this.config = config;
        this.streamId = settings.streamId();
        this.fitFrames = settings.preprocessing().zcaFitFrames();
        this.publisher = publisher;
        this.preprocessor = new Preprocessor(config, settings.preprocessing());
        this.geometry = config.geometry();
        this.previews = new PreviewThrottle(settings.previewIntervalMs());
    }

    /** Frames taken so far: published, plus held for the ZCA fit. */
    long accepted() {
        return accepted;
    }

    /** Frames published so far. */
    long published() {
        return published;
    }

    /** Published frames that were blank. */
    long blank() {
        return blank;
    }

    /**
     * Takes one frame: publishes it, or holds it while ZCA waits for its fit frames.
     *
     * @param captureTimeMs wall-clock time the frame was captured or released
     * @param missedFrames  the source's {@link org.smtstream.ingest.source.FrameSource#missedFrames()}
     *                      for this frame: the index advances by its growth since the previous frame
     * @param faultsSoFar   what the source has lost so far, for the patch headers
     */
    void accept(Frame frame, long captureTimeMs, long missedFrames, IngestFaults faultsSoFar) {
        faults = faultsSoFar;
        long index = lastIndex + 1 + Math.max(0, missedFrames - lastMissed);
        lastIndex = index;
        lastMissed = missedFrames;
        accepted++;
        float[] gray = preprocessor.grayscale(frame);
        if (!preprocessor.needsFit()) {
            publish(gray, index, captureTimeMs);
            return;
        }
        held.add(new HeldFrame(gray, index, captureTimeMs));
        if (held.size() >= fitFrames) {
            releaseHeld();
        }
    }

    /** Publishes what is still held for the ZCA fit, fitted on those frames; call when the run ends. */
    void finish() {
        if (!held.isEmpty()) {
            releaseHeld();
        }
    }

    private void releaseHeld() {
        preprocessor.fit(held.stream().map(HeldFrame::gray).toList());
        for (HeldFrame frame : held) {
            publish(frame.gray(), frame.index(), frame.captureTimeMs());
        }
        held.clear();
    }

    private void publish(float[] gray, long index, long captureTimeMs) {
        PreprocessedFrame p = preprocessor.whiten(gray);
        if (p.blank()) {
            blank++;
        }
        int size = p.size();
        publisher.publishPatches(new PatchFrame(streamId, index, captureTimeMs, size, config.patchSize(),
                config.stride(), geometry.cut(p.whitened())), faults);
        if (previews.tryAcquire(captureTimeMs)) {
            publisher.publishPreview(new FrameImage(streamId, index, FrameImage.Kind.INPUT, size, size, p.gray()));
        }
        published++;
    }
}
