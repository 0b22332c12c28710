package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameImage.Kind;

class FramePngTest {

    /** Grey levels of row {@code y}. */
    static int[] row(BufferedImage image, int y) {
        Raster raster = image.getRaster();
        return raster.getSamples(0, y, image.getWidth(), 1, 0, new int[image.getWidth()]);
    }

    static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void shouldEncodeUnitIntervalToFullGreyRange() throws IOException {
        FrameImage gradient = Samples.horizontalGradient(Kind.INPUT, 5, 3, 0, 1);

        BufferedImage png = decode(FramePng.encode(gradient, DisplayRange.UNIT));

        assertEquals(5, png.getWidth());
        assertEquals(3, png.getHeight());
        for (int y = 0; y < 3; y++) {
            assertEquals(List.of(0, 64, 128, 191, 255), Arrays.stream(row(png, y)).boxed().toList());
        }
    }

    @Test
    void shouldClipOutsideRangeAndBlackenNonFinite() {
        assertEquals(0, DisplayRange.UNIT.gray(-0.5f));
        assertEquals(255, DisplayRange.UNIT.gray(7f));
        assertEquals(0, DisplayRange.UNIT.gray(Float.NaN));
    }

    @Test
    void shouldCentreSymmetricRangeOnZero() {
        DisplayRange range = DisplayRange.symmetric(new float[] {-2, -1, 0, 1, 2});

        assertEquals(-2, range.low(), 1e-6);
        assertEquals(2, range.high(), 1e-6);
        assertEquals(128, range.gray(0));
    }

    @Test
    void shouldIgnoreRareOutliersInSymmetricRange() {
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 2 == 0 ? 1 : -1) * (i / (float) values.length);
        }
        values[3] = 1e6f;
        values[5] = Float.NaN;

        DisplayRange range = DisplayRange.symmetric(values);

        assertTrue(range.high() < 1.0, "99th percentile of |x|, not the outlier: " + range);
        assertTrue(range.high() > 0.95, range.toString());
    }

    @Test
    void shouldShareScaleAcrossSamples() {
        DisplayRange range = DisplayRange.symmetric(new float[] {-4, 4}, new float[] {1, -1});

        assertEquals(4, range.high(), 1e-6);
    }

    @Test
    void shouldFallBackForFlatPictures() {
        assertEquals(new DisplayRange(-1, 1), DisplayRange.symmetric(new float[] {0, 0, 0}));
        assertEquals(new DisplayRange(-1, 1), DisplayRange.symmetric(new float[] {Float.NaN}));
    }
}
