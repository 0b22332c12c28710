package org.smtstream.web;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.smtstream.model.wire.FrameImage;

/** Encodes a float picture as an 8-bit grayscale PNG. */
final class FramePng {

    private FramePng() {
    }

    static byte[] encode(FrameImage image, DisplayRange range) {
        BufferedImage gray = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        // TYPE_BYTE_GRAY is one byte per pixel, row-major, no padding: the same layout as FrameImage.
        byte[] raster = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        float[] pixels = image.pixels();
        for (int i = 0; i < pixels.length; i++) {
            raster[i] = (byte) range.gray(pixels[i]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(pixels.length / 2 + 256);
        // An explicit memory-cached stream: ImageIO's default may spill to temporary files.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(gray, "png", out)) {
                throw new IllegalStateException("No PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Encoding a " + image.width() + "x" + image.height() + " PNG failed", e);
        }
        return bytes.toByteArray();
    }
}
