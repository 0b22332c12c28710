package org.smtstream.processor.streams;

import java.util.SplittableRandom;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.wire.PatchFrame;

/**
 * Patch frames whose patches are sparse, positive combinations of a planted unit-norm dictionary
 * plus Gaussian noise: structure that online dictionary learning can find, unlike white noise.
 */
final class SyntheticFrames {

    private final SmtConfig config;
    private final int plantedAtoms;
    private final double[][] planted;   // plantedAtoms x n
    private final SplittableRandom random;

    SyntheticFrames(SmtConfig config, int plantedAtoms, long seed) {
        this.config = config;
        this.plantedAtoms = plantedAtoms;
        this.random = new SplittableRandom(seed);
        int n = config.patchDim();
        planted = new double[plantedAtoms][n];
        for (double[] atom : planted) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                atom[k] = gaussian();
                s += atom[k] * atom[k];
            }
            for (int k = 0; k < n; k++) {
                atom[k] /= Math.sqrt(s);
            }
        }
    }

    /** A frame with 3 planted atoms per patch, amplitudes in [0.5, 1.5], noise sigma 0.02. */
    PatchFrame next(String streamId, long frameIndex) {
        int n = config.patchDim();
        float[] patches = new float[config.patchesPerFrame() * n];
        for (int i = 0; i < config.patchesPerFrame(); i++) {
            for (int m = 0; m < 3; m++) {
                double[] atom = planted[random.nextInt(plantedAtoms)];
                double amplitude = 0.5 + random.nextDouble();
                for (int k = 0; k < n; k++) {
                    patches[i * n + k] += (float) (amplitude * atom[k]);
                }
            }
            for (int k = 0; k < n; k++) {
                patches[i * n + k] += (float) (0.02 * gaussian());
            }
        }
        return new PatchFrame(streamId, frameIndex, 1_000L + 100L * frameIndex, config.frameSize(),
                config.patchSize(), config.stride(), patches);
    }

    private double gaussian() {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * random.nextDouble());
    }
}
