package org.smtstream.processor.math.analysis;

import org.smtstream.model.SmtConfig;

/**
 * Where the patches of a frame come from: p x p patches on a grid of origins {@code stride} apart,
 * {@code side = (S - p) / stride + 1} per side of an S x S frame, in raster order of their origins.
 * Patch i is patch-major, row-major inside: {@code patches[i * p * p + r * p + c]} (the layout of
 * {@code PatchFrame}, and of an n x B column-major matrix).
 *
 * @param frameSize S
 * @param patchSize p
 * @param stride    distance between neighbouring origins
 */
public record PatchGrid(int frameSize, int patchSize, int stride) {

    public PatchGrid {
        if (patchSize < 1 || stride < 1 || frameSize < patchSize) {
            throw new IllegalArgumentException("Invalid patch grid: frame " + frameSize + ", patch " + patchSize
                    + ", stride " + stride);
        }
    }

    public static PatchGrid of(SmtConfig config) {
        return new PatchGrid(config.frameSize(), config.patchSize(), config.stride());
    }

    /** Patch origins per side. */
    public int side() {
        return (frameSize - patchSize) / stride + 1;
    }

    public int patchCount() {
        return side() * side();
    }

    /** n = p * p. */
    public int patchDim() {
        return patchSize * patchSize;
    }

    /** Cuts a row-major S x S frame into patch-major patches. */
    public float[] cut(float[] frame) {
        requireLength("frame", frame, frameSize * frameSize);
        int n = patchDim();
        float[] patches = new float[patchCount() * n];
        for (int i = 0; i < patchCount(); i++) {
            int top = (i / side()) * stride;
            int left = (i % side()) * stride;
            for (int r = 0; r < patchSize; r++) {
                System.arraycopy(frame, (top + r) * frameSize + left, patches, i * n + r * patchSize, patchSize);
            }
        }
        return patches;
    }

    /**
     * Puts patch-major patches back into a row-major S x S frame. Where patches overlap (stride &lt;
     * p) the pixel is the mean of every patch covering it, so assembling the cut of a frame gives the
     * frame back; pixels no patch covers (a margin when (S - p) is not a multiple of the stride) are 0.
     */
    public float[] assemble(float[] patches) {
        requireLength("patches", patches, patchCount() * patchDim());
        float[] frame = new float[frameSize * frameSize];
        int[] cover = new int[frameSize * frameSize];
        int n = patchDim();
        for (int i = 0; i < patchCount(); i++) {
            int top = (i / side()) * stride;
            int left = (i % side()) * stride;
            for (int r = 0; r < patchSize; r++) {
                int row = (top + r) * frameSize + left;
                for (int c = 0; c < patchSize; c++) {
                    frame[row + c] += patches[i * n + r * patchSize + c];
                    cover[row + c]++;
                }
            }
        }
        for (int k = 0; k < frame.length; k++) {
            if (cover[k] > 1) {
                frame[k] /= cover[k];
            }
        }
        return frame;
    }

    private static void requireLength(String name, float[] values, int expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + expected);
        }
    }
}
