package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TileLayoutTest {

    @Test
    void shouldPlaceTilesRowByRowBehindOnePixelLines() {
        TileLayout layout = new TileLayout(16, 4, 10);
        assertEquals(1, layout.x(0));
        assertEquals(1 + 3 * 17, layout.x(3));
        assertEquals(1, layout.x(4), "the fifth tile starts the second row");
        assertEquals(1 + 17, layout.y(4));
        assertEquals(4 * 17 + 1, layout.width());
        assertEquals(3 * 17 + 1, layout.height(), "10 tiles in rows of 4 take 3 rows");
    }

    @Test
    void shouldBeOnlyAsWideAsAShortRun() {
        assertEquals(2 * 21 + 1, new TileLayout(20, 16, 2).width());
    }

    @Test
    void shouldRejectAnEmptyLayout() {
        assertThrows(IllegalArgumentException.class, () -> new TileLayout(16, 4, 0));
    }
}
