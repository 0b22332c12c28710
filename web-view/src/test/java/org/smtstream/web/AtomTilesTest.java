package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.smtstream.model.FloatMatrix;

class AtomTilesTest {

    private static final int P = Samples.PATCH_SIZE;
    /** Mid grey: an atom's zero. */
    private static final int ZERO = 128;

    /** Atom j of the sample dictionary is the patch whose pixel j is 1 and the rest 0. */
    private final FloatMatrix phi = Samples.model(1).phi();

    @Test
    void shouldDrawOneTilePerAtomInGridOrder() throws IOException {
        int[] atoms = {0, 1, 2, 3, 4, 5};

        BufferedImage png = FramePngTest.decode(AtomTiles.png(phi, P, atoms, 4));

        assertEquals(4 * (P + 1) + 1, png.getWidth(), "four tiles and their separators across");
        assertEquals(2 * (P + 1) + 1, png.getHeight(), "six atoms in rows of four: two rows");
        for (int k = 0; k < atoms.length; k++) {
            int x0 = 1 + (k % 4) * (P + 1);
            int y0 = 1 + (k / 4) * (P + 1);
            for (int r = 0; r < P * P; r++) {
                int expected = r == atoms[k] ? 255 : ZERO;
                assertEquals(expected, png.getRaster().getSample(x0 + r % P, y0 + r / P, 0),
                        "tile " + k + " (atom " + atoms[k] + ") pixel " + r);
            }
        }
        assertEquals(AtomTiles.SEPARATOR_GREY, png.getRaster().getSample(0, 0, 0), "separator");
        assertEquals(AtomTiles.SEPARATOR_GREY, png.getRaster().getSample(P + 1, 3, 0), "separator between tiles");
    }

    @Test
    void shouldDrawTheAtomsAskedForInTheOrderAsked() throws IOException {
        BufferedImage png = FramePngTest.decode(AtomTiles.png(phi, P, new int[] {5, 0}, 2));

        assertEquals(255, png.getRaster().getSample(1 + 5 % P, 1 + 5 / P, 0), "first tile is atom 5");
        assertEquals(255, png.getRaster().getSample(1 + (P + 1), 1, 0), "second tile is atom 0");
    }

    @Test
    void shouldScaleEachAtomToItsOwnRange() throws IOException {
        float[] data = new float[P * P * 2];
        data[0] = 0.01f;       // atom 0: a faint pixel
        data[1] = -1f;         // atom 1: a strong negative pixel
        FloatMatrix faintAndStrong = new FloatMatrix(P * P, 2, data);

        BufferedImage png = FramePngTest.decode(AtomTiles.png(faintAndStrong, P, new int[] {0, 1}, 2));

        assertEquals(255, png.getRaster().getSample(1, 1, 0), "the faint atom's peak is white");
        assertEquals(0, png.getRaster().getSample(1 + P + 1, 1, 0), "the strong atom's trough is black");
    }

    @Test
    void shouldRejectAtomsOutsideTheDictionaryOrWrongPatchSize() {
        assertThrows(IllegalArgumentException.class, () -> AtomTiles.png(phi, P, new int[] {Samples.ATOMS}, 4));
        assertThrows(IllegalArgumentException.class, () -> AtomTiles.png(phi, P + 1, new int[] {0}, 4));
    }
}
