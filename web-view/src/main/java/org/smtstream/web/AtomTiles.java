package org.smtstream.web;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.TileLayout;

/**
 * Dictionary atoms drawn as a grid of p x p tiles, one PNG: the pages of the atom grid and the rows of
 * an affinity group. Tiles are separated by a one-pixel dark line and filled in the order given, row by
 * row ({@link TileLayout}, which the needle overlay of a page shares).
 *
 * <p>Each atom is scaled by its own largest magnitude, centred on mid grey: atoms are unit-norm but
 * spread their energy differently, and a shared scale would leave the spread-out ones invisible;
 * zero stays mid grey as in the whitened pictures.
 */
final class AtomTiles {

    /** Grey of the lines between tiles: darker than any atom's zero, so tiles stand apart. */
    static final int SEPARATOR_GREY = 32;

    private AtomTiles() {
    }

    /** Width in pixels of a grid of {@code columns} tiles of side {@code patchSize}. */
    static int extent(int tiles, int patchSize) {
        return new TileLayout(patchSize, tiles, tiles).width();
    }

    /**
     * @param phi       dictionary, n x N with n = patchSize^2, one atom per column
     * @param patchSize side of an atom's patch
     * @param atoms     atom indices to draw, in order
     * @param columns   tiles per row
     */
    static byte[] png(FloatMatrix phi, int patchSize, int[] atoms, int columns) {
        if (phi.rows() != patchSize * patchSize) {
            throw new IllegalArgumentException("Atoms of " + phi.rows() + " values are not " + patchSize + "x"
                    + patchSize + " patches");
        }
        if (columns < 1 || atoms.length == 0) {
            throw new IllegalArgumentException(
                    "Nothing to draw: " + atoms.length + " atoms in " + columns + " columns");
        }
        TileLayout layout = new TileLayout(patchSize, columns, atoms.length);
        int width = layout.width();
        BufferedImage image = GrayPng.create(width, layout.height());
        byte[] raster = GrayPng.raster(image);
        Arrays.fill(raster, (byte) SEPARATOR_GREY);
        for (int k = 0; k < atoms.length; k++) {
            drawAtom(phi, atoms[k], patchSize, raster, width, layout.x(k), layout.y(k));
        }
        return GrayPng.encode(image);
    }

    private static void drawAtom(FloatMatrix phi, int atom, int patchSize, byte[] raster, int width, int x0, int y0) {
        if (atom < 0 || atom >= phi.cols()) {
            throw new IllegalArgumentException("Atom " + atom + " outside [0, " + phi.cols() + ")");
        }
        float[] data = phi.data();
        int n = phi.rows();
        int stride = phi.cols();
        double max = 0;
        for (int r = 0; r < n; r++) {
            float v = data[r * stride + atom];
            if (Float.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        DisplayRange range = max > 0 ? new DisplayRange(-max, max) : new DisplayRange(-1, 1);
        for (int r = 0; r < n; r++) {
            int y = y0 + r / patchSize;
            int x = x0 + r % patchSize;
            raster[y * width + x] = (byte) range.gray(data[r * stride + atom]);
        }
    }
}
