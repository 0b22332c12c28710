package org.smtstream.web;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** 8-bit grayscale PNG encoding of a row-major raster of grey levels. */
final class GrayPng {

    private GrayPng() {
    }

    /** A blank grayscale image whose {@link #raster} is one byte per pixel, row-major, no padding. */
    static BufferedImage create(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    }

    static byte[] raster(BufferedImage gray) {
        return ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    }

    static byte[] encode(BufferedImage gray) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(gray.getWidth() * gray.getHeight() / 2 + 256);
        // An explicit memory-cached stream: ImageIO's default may spill to temporary files.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(gray, "png", out)) {
                throw new IllegalStateException("No PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Encoding a " + gray.getWidth() + "x" + gray.getHeight() + " PNG failed", e);
        }
        return bytes.toByteArray();
    }
}
