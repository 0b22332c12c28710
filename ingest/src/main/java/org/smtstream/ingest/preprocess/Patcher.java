package org.smtstream.ingest.preprocess;

import org.smtstream.model.SmtConfig;

/**
 * Cuts an S x S frame into p x p patches with stride s, in the layout of
 * {@link org.smtstream.model.wire.PatchFrame}: patches in raster order of their origins on a grid of
 * (S - p) / s + 1 origins per side, the p*p values of each patch row-major. Origins start at the
 * top-left pixel; when s does not divide S - p, the last rows and columns are not covered.
 */
public final class Patcher {

    private final int frameSize;
    private final int patchSize;
    private final int stride;
    private final int gridSide;

    public Patcher(SmtConfig config) {
        this(config.frameSize(), config.patchSize(), config.stride());
    }

    /** Patches of side {@code patchSize} every {@code stride} pixels of an S x S frame, S = {@code frameSize}. */
    public Patcher(int frameSize, int patchSize, int stride) {
        if (patchSize < 1 || patchSize > frameSize || stride < 1) {
            throw new IllegalArgumentException("Invalid patch geometry: frame " + frameSize + ", patch " + patchSize
                    + ", stride " + stride);
        }
        this.frameSize = frameSize;
        this.patchSize = patchSize;
        this.stride = stride;
        this.gridSide = (frameSize - patchSize) / stride + 1;
    }

    /** Patches per frame: gridSide^2. */
    public int patchCount() {
        return gridSide * gridSide;
    }

    /**
     * The patches of {@code frame}.
     *
     * @param frame S x S pixels, row-major
     * @return patchCount x (p*p) values: patch k = gy * gridSide + gx has its origin at row
     *         gy * s, column gx * s, and holds value (i, j) of the patch at k * p*p + i * p + j
     */
    public float[] cut(float[] frame) {
        if (frame.length != frameSize * frameSize) {
            throw new IllegalArgumentException("Expected a " + frameSize + "x" + frameSize + " frame ("
                    + frameSize * frameSize + " values), got " + frame.length);
        }
        float[] patches = new float[patchCount() * patchSize * patchSize];
        int out = 0;
        for (int gy = 0; gy < gridSide; gy++) {
            for (int gx = 0; gx < gridSide; gx++) {
                int origin = gy * stride * frameSize + gx * stride;
                for (int i = 0; i < patchSize; i++) {
                    System.arraycopy(frame, origin + i * frameSize, patches, out, patchSize);
                    out += patchSize;
                }
            }
        }
        return patches;
    }

    /** True when no two patches share a pixel (stride &gt;= patch size), so {@link #assemble} is defined. */
    public boolean nonOverlapping() {
        return stride >= patchSize;
    }

    /**
     * The inverse of {@link #cut} for non-overlapping patches: puts each patch back at its origin in
     * an S x S frame; pixels no patch covers are 0.
     *
     * @throws IllegalStateException when patches overlap
     */
    public float[] assemble(float[] patches) {
        if (!nonOverlapping()) {
            throw new IllegalStateException("Overlapping patches (stride " + stride + " < patch size " + patchSize
                    + ") cannot be assembled into one frame");
        }
        if (patches.length != patchCount() * patchSize * patchSize) {
            throw new IllegalArgumentException("Expected " + patchCount() * patchSize * patchSize
                    + " patch values, got " + patches.length);
        }
        float[] frame = new float[frameSize * frameSize];
        int in = 0;
        for (int gy = 0; gy < gridSide; gy++) {
            for (int gx = 0; gx < gridSide; gx++) {
                int origin = gy * stride * frameSize + gx * stride;
                for (int i = 0; i < patchSize; i++) {
                    System.arraycopy(patches, in, frame, origin + i * frameSize, patchSize);
                    in += patchSize;
                }
            }
        }
        return frame;
    }
}
