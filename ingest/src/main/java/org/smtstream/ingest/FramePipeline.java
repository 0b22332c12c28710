package org.smtstream.ingest;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.Frame;
import org.smtstream.ingest.preprocess.PreprocessedFrame;
import org.smtstream.ingest.preprocess.Preprocessor;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.PatchFrame;

/**
 * Preprocesses the frames of one stream and publishes them: a {@link PatchFrame} per frame and a
 * rate-limited INPUT preview (the S x S gray frame before whitening), with consecutive frame
 * indices from 0. The per-run state of one {@link IngestJob}, confined to its thread.
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
    private record HeldFrame(float[] gray, long captureTimeMs) {
    }

    private final SmtConfig config;
    private final String streamId;
    private final int fitFrames;
    private final PatchPublisher publisher;
    private final Preprocessor preprocessor;
    private final PatchGeometry geometry;
    private final PreviewThrottle previews;
    private final List<HeldFrame> held = new ArrayList<>();
    private long nextIndex;
    private long blank;

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
        return nextIndex + held.size();
    }

    /** Frames published so far; also the index the next one gets. */
    long published() {
        return nextIndex;
    }

    /** Published frames that were blank. */
    long blank() {
        return blank;
    }

    /**
     * Takes one frame: publishes it, or holds it while ZCA waits for its fit frames.
     *
     * @param captureTimeMs wall-clock time the frame was captured or released
     */
    void accept(Frame frame, long captureTimeMs) {
        float[] gray = preprocessor.grayscale(frame);
        if (!preprocessor.needsFit()) {
            publish(gray, captureTimeMs);
            return;
        }
        held.add(new HeldFrame(gray, captureTimeMs));
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
            publish(frame.gray(), frame.captureTimeMs());
        }
        held.clear();
    }

    private void publish(float[] gray, long captureTimeMs) {
        PreprocessedFrame p = preprocessor.whiten(gray);
        if (p.blank()) {
            blank++;
        }
        int size = p.size();
        publisher.publishPatches(new PatchFrame(streamId, nextIndex, captureTimeMs, size, config.patchSize(),
                config.stride(), geometry.cut(p.whitened())));
        if (previews.tryAcquire(captureTimeMs)) {
            publisher.publishPreview(new FrameImage(streamId, nextIndex, FrameImage.Kind.INPUT, size, size, p.gray()));
        }
        nextIndex++;
    }
}
