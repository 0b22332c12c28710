package org.smtstream.web;

import org.smtstream.model.wire.FrameImage;

/**
 * The SNR of a reconstruction against its reference picture of the same frame, 10 log10(||x||^2 /
 * ||x - y||^2) in double: for the image-space pictures, C Phi alpha or C Phi g(beta) against C x,
 * which the processor sends only as pictures.
 *
 * @param frameIndex the frame both pictures show
 * @param db         the SNR; NaN when the reference is all zero (a blank frame)
 */
record ImageSnr(long frameIndex, double db) {

    /**
     * @throws IllegalArgumentException when the pictures are of different frames or sizes
     */
    static ImageSnr of(FrameImage reference, FrameImage reconstruction) {
        if (reference.frameIndex() != reconstruction.frameIndex()
                || reference.pixels().length != reconstruction.pixels().length) {
            throw new IllegalArgumentException("No SNR between frame " + reference.frameIndex() + " ("
                    + reference.pixels().length + " pixels) and frame " + reconstruction.frameIndex() + " ("
                    + reconstruction.pixels().length + " pixels)");
        }
        double[] energies = energies(reference.pixels(), reconstruction.pixels());
        return new ImageSnr(reference.frameIndex(), db(energies[0], energies[1]));
    }

    /** ||x||^2 and ||x - y||^2 of two pictures of the same size, in double. */
    static double[] energies(float[] x, float[] y) {
        double signal = 0;
        double error = 0;
        for (int k = 0; k < x.length; k++) {
            double d = (double) x[k] - y[k];
            signal += (double) x[k] * x[k];
            error += d * d;
        }
        return new double[] {signal, error};
    }

    /** 10 log10(signal / error): +infinity for an exact reconstruction, NaN for an all-zero reference. */
    static double db(double signal, double error) {
        return signal == 0 ? Double.NaN : 10 * Math.log10(signal / error);
    }
}
