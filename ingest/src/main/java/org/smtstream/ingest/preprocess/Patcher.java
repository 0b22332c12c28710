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
        this.frameSize = config.frameSize();
        this.patchSize = config.patchSize();
        this.stride = config.stride();
        this.gridSide = config.patchesPerSide();
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
}
