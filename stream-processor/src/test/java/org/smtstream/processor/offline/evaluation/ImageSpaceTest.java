package org.smtstream.processor.offline.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.smtstream.processor.math.analysis.Unwhitening;
import org.smtstream.processor.math.linalg.Metrics;
import org.smtstream.processor.offline.SyntheticClips;

class ImageSpaceTest {

    /**
     * C is linear, so a reconstruction that is x scaled by s has the SNR 10 log10(1 / (1 - s)^2) in
     * image space as in whitened space, however C weights the frequencies; and the energies of two
     * frames in one batch add up.
     */
    @Test
    void shouldPoolTheImageSpaceEnergiesOfEveryFrameOfABatch() {
        var config = SyntheticClips.CONFIG;
        int n = config.patchDim();
        int locations = config.patchesPerFrame();
        SplittableRandom random = new SplittableRandom(2);
        double[] values = new double[n * 2 * locations];
        for (int k = 0; k < values.length; k++) {
            values[k] = random.nextGaussian();
        }
        INDArray x = Nd4j.create(values, new long[] {n, 2L * locations}, 'f').castTo(DataType.FLOAT);
        INDArray half = x.mul(0.5);
        INDArray threeQuarters = x.mul(0.75);
        double[] energies = new double[3];
        Unwhitening unwhitening = Unwhitening.of(config);
        ImageSpace.accumulate(unwhitening, x, List.of(half, threeQuarters), locations, energies);

        assertEquals(10 * Math.log10(4), Metrics.snrDb(energies[0], energies[1]), 1e-4, "y = x / 2");
        assertEquals(10 * Math.log10(16), Metrics.snrDb(energies[0], energies[2]), 1e-4, "y = 3 x / 4");
        double both = 0;
        for (int frame = 0; frame < 2; frame++) {
            float[] patches = x.get(NDArrayIndex.all(),
                    NDArrayIndex.interval(frame * locations, (frame + 1) * locations))
                    .dup('f').data().asFloat();
            for (float v : unwhitening.frame(patches)) {
                both += (double) v * v;
            }
        }
        assertEquals(both, energies[0], 1e-6 * both, "||C x||^2 summed over both frames");
    }
}
