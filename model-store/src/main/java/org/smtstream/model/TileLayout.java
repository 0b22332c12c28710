package org.smtstream.model;

/**
 * Where the k-th of a run of p x p tiles sits in a grid of {@code columns} tiles per row, each tile
 * framed by a {@link #GAP}-pixel line: the layout of the web view's atom pictures, shared with the needle
 * plots drawn over them so that a needle lands on its own atom.
 *
 * @param tileSize side of a tile, in pixels
 * @param columns  tiles per row
 * @param tiles    number of tiles
 */
public record TileLayout(int tileSize, int columns, int tiles) {

    public static final int GAP = 1;

    public TileLayout {
        if (tileSize < 1 || columns < 1 || tiles < 1) {
            throw new IllegalArgumentException("Nothing to lay out: " + tiles + " tiles of " + tileSize + " px in "
                    + columns + " columns");
        }
    }

    /** Left edge of tile k. */
    public int x(int k) {
        return GAP + (k % columns) * (tileSize + GAP);
    }

    /** Top edge of tile k. */
    public int y(int k) {
        return GAP + (k / columns) * (tileSize + GAP);
    }

    /** Width of the grid: as many columns as there are tiles, at most {@link #columns}. */
    public int width() {
        return extent(Math.min(columns, tiles));
    }

    public int height() {
        return extent((tiles + columns - 1) / columns);
    }

    private int extent(int count) {
        return count * (tileSize + GAP) + GAP;
    }
}
