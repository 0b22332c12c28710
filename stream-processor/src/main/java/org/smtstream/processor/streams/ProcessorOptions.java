package org.smtstream.processor.streams;

/**
 * How the processor runs, as opposed to what it computes ({@link org.smtstream.model.SmtConfig}).
 *
 * @param previewIntervalMs minimum wall-clock time between two preview images of one stream;
 *                          0 = a preview for every frame
 * @param deadAtomWindow    dictionary updates without any activity after which an atom is re-seeded
 * @param learning          take an online dictionary step on every frame (false: inference only,
 *                          the dictionary stays at its initial version)
 * @param warmStart         start each frame's sparse coding from the previous frame's codes of the
 *                          same stream (same patch locations) instead of from zero
 */
public record ProcessorOptions(long previewIntervalMs, int deadAtomWindow, boolean learning, boolean warmStart) {

    public ProcessorOptions {
        if (previewIntervalMs < 0) {
            throw new IllegalArgumentException("Invalid preview interval: " + previewIntervalMs + " ms (must be >= 0)");
        }
        if (deadAtomWindow < 1) {
            throw new IllegalArgumentException("Invalid dead-atom window: " + deadAtomWindow + " (must be >= 1)");
        }
    }

    /** Previews at most every 500 ms per stream, re-seeding after 200 idle updates, learning, warm starts. */
    public static ProcessorOptions defaults() {
        return new ProcessorOptions(500, 200, true, true);
    }

    public ProcessorOptions withPreviewIntervalMs(long intervalMs) {
        return new ProcessorOptions(intervalMs, deadAtomWindow, learning, warmStart);
    }

    public ProcessorOptions withLearning(boolean enabled) {
        return new ProcessorOptions(previewIntervalMs, deadAtomWindow, enabled, warmStart);
    }

    public ProcessorOptions withWarmStart(boolean enabled) {
        return new ProcessorOptions(previewIntervalMs, deadAtomWindow, learning, enabled);
    }
}
