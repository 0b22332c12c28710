package org.smtstream.processor.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.smtstream.model.SmtConfig;

/**
 * Small clips with known structure for offline tests: every patch is a positive combination of two
 * atoms of a fixed random dictionary (4 x 4 patches, 24 atoms), the coefficients drifting slowly
 * in time, so a learned dictionary can reconstruct them far better than a random one.
 */
public final class SyntheticClips {

    /** 16 x 16 frames of 16 patches of 4 x 4, N = 24, f = 4; P starts after 10 frames. */
    public static final SmtConfig CONFIG = SmtConfig.fast().with(Map.of("frameSize", "16", "patchSize", "4",
            "stride", "4", "dictionarySize", "24", "embeddingDim", "4", "embeddingWarmup", "10", "lambda", "0.1"));

    private SyntheticClips() {
    }

    public static Clip clip(String name, int frames, long seed) {
        int n = CONFIG.patchDim();
        int patches = CONFIG.patchesPerFrame();
        int atoms = CONFIG.dictionarySize();
        SplittableRandom random = new SplittableRandom(seed);
        float[][] truth = new float[atoms][n];
        for (float[] atom : truth) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                atom[i] = (float) (random.nextDouble() * 2 - 1);
                norm += atom[i] * atom[i];
            }
            for (int i = 0; i < n; i++) {
                atom[i] /= (float) Math.sqrt(norm);
            }
        }
        int[][] pairs = new int[patches][2];
        double[][] phase = new double[patches][2];
        for (int b = 0; b < patches; b++) {
            pairs[b][0] = random.nextInt(atoms);
            pairs[b][1] = random.nextInt(atoms);
            phase[b][0] = random.nextDouble() * 6.28;
            phase[b][1] = random.nextDouble() * 6.28;
        }
        List<float[]> out = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            float[] frame = new float[n * patches];
            for (int b = 0; b < patches; b++) {
                if (t % 30 == 0) {                       // every 30 frames each location changes content
                    pairs[b][random.nextInt(2)] = random.nextInt(atoms);
                }
                for (int s = 0; s < 2; s++) {
                    double c = 2 + Math.sin(phase[b][s] + 0.2 * t);
                    for (int i = 0; i < n; i++) {
                        frame[b * n + i] += (float) (c * truth[pairs[b][s]][i]);
                    }
                }
            }
            out.add(frame);
        }
        return new Clip(name, out);
    }
}
