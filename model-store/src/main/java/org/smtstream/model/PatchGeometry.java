package org.smtstream.model;

/**
 * Where the patches of a frame come from: p x p patches on a grid of origins {@code stride} apart,
 * {@code side = (S - p) / stride + 1} origins per side of an S x S frame, numbered in raster order of
 * their origins (patch i at grid row i / side, column i % side). Patches are patch-major, row-major
 * inside: value (r, c) of patch i is {@code patches[i * p * p + r * p + c]}, the layout of
 * {@link org.smtstream.model.wire.PatchFrame} and of an n x B column-major matrix. Origins start at the
 * top-left pixel; when the stride does not divide S - p, the last rows and columns are not covered.
 *
 * <p>Every module cuts and assembles frames through this one type, so ingest's patches and the
 * processor's pictures of them cannot disagree on where a patch lies.
 *
 * @param frameSize S
 * @param patchSize p
 * @param stride    distance between neighbouring origins
 */
public record PatchGeometry(int frameSize, int patchSize, int stride) {

    public PatchGeometry {
        if (patchSize < 1 || stride < 1 || frameSize < patchSize) {
            throw new IllegalArgumentException("Invalid patch geometry: frame " + frameSize + ", patch " + patchSize
                    + ", stride " + stride + " (need 1 <= patch <= frame and stride >= 1)");
        }
    }

    /** Patch origins per side of the frame. */
    public int side() {
        return (frameSize - patchSize) / stride + 1;
    }

    /** Patches per frame: side^2. */
    public int patchCount() {
        return side() * side();
    }

    /** n = p * p, the values of one patch. */
    public int patchDim() {
        return patchSize * patchSize;
    }

    /** True when some pixel lies in more than one patch (stride &lt; patch size). */
    public boolean overlapping() {
        return stride < patchSize;
    }

    /** Row of the top-left pixel of patch {@code i}. */
    public int originRow(int i) {
        return (i / side()) * stride;
    }

    /** Column of the top-left pixel of patch {@code i}. */
    public int originColumn(int i) {
        return (i % side()) * stride;
    }

    /**
     * The patches of a frame.
     *
     * @param frame S x S pixels, row-major
     * @return patchCount x (p*p) values, patch-major
     */
    public float[] cut(float[] frame) {
        if (frame.length != frameSize * frameSize) {
            throw new IllegalArgumentException("Expected a " + frameSize + "x" + frameSize + " frame ("
                    + frameSize * frameSize + " values), got " + frame.length);
        }
        int n = patchDim();
        float[] patches = new float[patchCount() * n];
        for (int i = 0; i < patchCount(); i++) {
            int origin = originRow(i) * frameSize + originColumn(i);
            for (int r = 0; r < patchSize; r++) {
                System.arraycopy(frame, origin + r * frameSize, patches, i * n + r * patchSize, patchSize);
            }
        }
        return patches;
    }

    /**
     * Puts patches back into an S x S frame, row-major. Where patches overlap, a pixel is the mean of
     * every patch covering it, accumulated in double, so assembling the cut of a frame gives back its
     * covered pixels bit for bit; pixels no patch covers are 0.
     *
     * @param patches patchCount x (p*p) values, patch-major
     */
    public float[] assemble(float[] patches) {
        int n = patchDim();
        if (patches.length != patchCount() * n) {
            throw new IllegalArgumentException("Expected " + patchCount() * n + " patch values (" + patchCount()
                    + " patches of " + patchSize + "x" + patchSize + "), got " + patches.length);
        }
        double[] sum = new double[frameSize * frameSize];
        int[] cover = new int[sum.length];
        for (int i = 0; i < patchCount(); i++) {
            int origin = originRow(i) * frameSize + originColumn(i);
            for (int r = 0; r < patchSize; r++) {
                int row = origin + r * frameSize;
                for (int c = 0; c < patchSize; c++) {
                    float v = patches[i * n + r * patchSize + c];
                    // the first copy is taken as is, so a -0 pixel stays -0
                    sum[row + c] = cover[row + c]++ == 0 ? v : sum[row + c] + v;
                }
            }
        }
        float[] frame = new float[sum.length];
        for (int k = 0; k < frame.length; k++) {
            frame[k] = cover[k] == 0 ? 0f : (float) (sum[k] / cover[k]);
        }
        return frame;
    }
}
