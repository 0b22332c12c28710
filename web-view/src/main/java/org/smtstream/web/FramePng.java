package org.smtstream.web;

import java.awt.image.BufferedImage;
import org.smtstream.model.wire.FrameImage;

/** Encodes a float picture as an 8-bit grayscale PNG. */
final class FramePng {

    private FramePng() {
    }

    static byte[] encode(FrameImage image, DisplayRange range) {
        BufferedImage gray = GrayPng.create(image.width(), image.height());
        // The raster has the same row-major layout as FrameImage.
        byte[] raster = GrayPng.raster(gray);
        float[] pixels = image.pixels();
        for (int i = 0; i < pixels.length; i++) {
            raster[i] = (byte) range.gray(pixels[i]);
        }
        return GrayPng.encode(gray);
    }
}
