package org.smtstream.ingest.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.DFT_COMPLEX_OUTPUT;
import static org.bytedeco.opencv.global.opencv_core.DFT_INVERSE;
import static org.bytedeco.opencv.global.opencv_core.DFT_REAL_OUTPUT;
import static org.bytedeco.opencv.global.opencv_core.DFT_SCALE;
import static org.bytedeco.opencv.global.opencv_core.dft;

import java.nio.FloatBuffer;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;

/** Test-side Fourier helpers, written independently of the code under test. */
final class Spectra {

    private Spectra() {
    }

    /**
     * Seeded noise of side n whose amplitude spectrum falls as 1/r (power 1/r^2), like natural
     * images, scaled into [0, 1].
     */
    static float[] pinkNoise(int n, long seed) {
        Random random = new Random(seed);
        float[] white = new float[n * n];
        for (int i = 0; i < white.length; i++) {
            white[i] = (float) random.nextGaussian();
        }
        float[] complex = spectrum(white, n);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double r = radius(x, y, n);
                float gain = r == 0 ? 0 : (float) (1 / r);
                complex[2 * (y * n + x)] *= gain;
                complex[2 * (y * n + x) + 1] *= gain;
            }
        }
        Mat spectrum = new Mat(n, n, CV_32FC2);
        ((FloatBuffer) spectrum.createBuffer()).put(complex);
        Mat image = new Mat();
        dft(spectrum, image, DFT_INVERSE | DFT_REAL_OUTPUT | DFT_SCALE, 0);
        float[] pixels = new float[n * n];
        ((FloatBuffer) image.createBuffer()).get(pixels);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : pixels) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (pixels[i] - min) / (max - min);
        }
        return pixels;
    }

    /** Interleaved (re, im) DFT of an n x n image. */
    static float[] spectrum(float[] image, int n) {
        Mat mat = new Mat(n, n, CV_32FC1);
        ((FloatBuffer) mat.createBuffer()).put(image);
        Mat out = new Mat();
        dft(mat, out, DFT_COMPLEX_OUTPUT, 0);
        float[] complex = new float[2 * n * n];
        ((FloatBuffer) out.createBuffer()).get(complex);
        return complex;
    }

    /** Radial frequency in cycles per frame of DFT bin (x, y). */
    static double radius(int x, int y, int n) {
        int fx = x <= n / 2 ? x : x - n;
        int fy = y <= n / 2 ? y : y - n;
        return Math.hypot(fx, fy);
    }

    /**
     * Least-squares slope of log power against log radial frequency, over annuli of integer radius
     * rMin..rMax (power averaged within each annulus).
     */
    static double spectralSlope(float[] image, int n, int rMin, int rMax) {
        float[] complex = spectrum(image, n);
        double[] power = new double[rMax + 1];
        int[] count = new int[rMax + 1];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int r = (int) Math.round(radius(x, y, n));
                if (r >= rMin && r <= rMax) {
                    double re = complex[2 * (y * n + x)];
                    double im = complex[2 * (y * n + x) + 1];
                    power[r] += re * re + im * im;
                    count[r]++;
                }
            }
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int m = 0;
        for (int r = rMin; r <= rMax; r++) {
            double lx = Math.log(r);
            double ly = Math.log(power[r] / count[r]);
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
            m++;
        }
        return (m * sxy - sx * sy) / (m * sxx - sx * sx);
    }
}
