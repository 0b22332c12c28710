package org.smtstream.processor.math.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.processor.math.analysis.NeedleComparison.Orientation;
import org.smtstream.processor.math.analysis.NeedleFit.Energy;
import org.smtstream.processor.math.analysis.NeedleFit.Needle;
import org.smtstream.processor.testing.TestArrays;

/**
 * The figure-3.6B check on a planted problem: Gabor atoms over 12 orientations, 3 lengths and 2
 * positions, and an embedding that places atoms by (orientation, length) only, so embedding-space
 * neighbours share orientation and length while pixel-space neighbours share position.
 */
class NeedleComparisonTest {

    private static final double[] ANGLES = IntStream.range(0, 12).mapToDouble(i -> 15.0 * i).toArray();
    private static final double[] SIGMAS = {1.6, 2.4, 3.2};
    private static final double[][] CENTRES = {{5.5, 5.5}, {9.5, 9.5}};

    private record Planted(INDArray phi, INDArray p, double[][] pDouble, double[][] phiDouble) {
    }

    private static Planted planted(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int count = ANGLES.length * SIGMAS.length * CENTRES.length;
        double[][] phi = new double[NeedleFitTest.P * NeedleFitTest.P][count];
        double[][] features = new double[3][count];
        int j = 0;
        for (double angle : ANGLES) {
            for (double sigma : SIGMAS) {
                for (double[] centre : CENTRES) {
                    double[] atom = NeedleFitTest.gabor(centre[0], centre[1], angle, sigma, 0.0);
                    for (int i = 0; i < atom.length; i++) {
                        phi[i][j] = atom[i];
                    }
                    features[0][j] = Math.cos(Math.toRadians(2 * angle));
                    features[1][j] = Math.sin(Math.toRadians(2 * angle));
                    features[2][j] = sigma - 2.4;
                    j++;
                }
            }
        }
        double[][] mixing = TestArrays.gaussian(6, 3, random);
        double[][] p = TestArrays.addNoise(TestArrays.multiply(mixing, features), 1e-3, random);
        return new Planted(TestArrays.toNd4j(phi), TestArrays.toNd4j(p), p, phi);
    }

    private static double cosine(double[][] m, int a, int b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (double[] row : m) {
            dot += row[a] * row[b];
            na += row[a] * row[a];
            nb += row[b] * row[b];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Direct computation: mean |Delta length| and |Delta angle| to the top-k cosine neighbours within the set. */
    private static double[] direct(double[][] m, Needle[] needles, int[] set, int k, Orientation orientation) {
        double length = 0;
        double angle = 0;
        int count = 0;
        for (int a : set) {
            int[] top = IntStream.of(set).filter(b -> b != a).boxed()
                    .sorted(Comparator.comparingDouble(b -> -cosine(m, a, b))).limit(k)
                    .mapToInt(Integer::intValue).toArray();
            for (int b : top) {
                length += Math.abs(needles[a].length() - needles[b].length());
                double ta = orientation == Orientation.AXIS
                        ? needles[a].angleDegrees() : needles[a].spectralAngleDegrees();
                double tb = orientation == Orientation.AXIS
                        ? needles[b].angleDegrees() : needles[b].spectralAngleDegrees();
                double d = Math.abs(ta - tb) % 180;
                angle += Math.min(d, 180 - d);
                count++;
            }
        }
        return new double[] {length / count, angle / count};
    }

    @Test
    void shouldEqualADirectComputationOfTheNeighbourDifferences() {
        Planted planted = planted(81);
        Needle[] needles = NeedleFit.fit(planted.phi(), NeedleFitTest.P, Energy.ENVELOPE);
        int[] set = NeedleComparison.bestFit(needles, 60);
        for (Orientation orientation : Orientation.values()) {
            NeedleComparison result =
                    NeedleComparison.compare(planted.p(), planted.phi(), needles, set, 5, orientation);
            double[] embedding = direct(planted.pDouble(), needles, set, 5, orientation);
            double[] pixels = direct(planted.phiDouble(), needles, set, 5, orientation);
            assertEquals(embedding[0], result.embeddingLength(), 1e-9, orientation + " embedding Delta length");
            assertEquals(embedding[1], result.embeddingAngle(), 1e-9, orientation + " embedding Delta angle");
            assertEquals(pixels[0], result.pixelLength(), 1e-9, orientation + " pixel Delta length");
            assertEquals(pixels[1], result.pixelAngle(), 1e-9, orientation + " pixel Delta angle");
            assertEquals(60, result.atoms());
            assertEquals(5, result.k());
        }
    }

    @Test
    void shouldFindThePlantedEmbeddingNeighboursAlikeAndPixelNeighboursOfAnotherLength() {
        Planted planted = planted(82);
        Needle[] needles = NeedleFit.fit(planted.phi(), NeedleFitTest.P, Energy.ENVELOPE);
        int[] all = IntStream.range(0, needles.length).toArray();
        NeedleComparison result =
                NeedleComparison.compare(planted.p(), planted.phi(), needles, all, 1, Orientation.SPECTRAL);
        // The embedding's nearest neighbour of each atom is its twin at the other position (same angle and
        // length; the fitted needles differ only by discretization). In pixel space it is the atom at the
        // same position and angle with the next envelope length (measured: Delta angle 0.03 deg,
        // Delta length 1.9 px against a chance level of 1.7 px), so pixels lose on length only.
        assertTrue(result.embeddingAngle() < 1 && result.pixelAngle() < 1, "angles: " + result);
        assertTrue(result.embeddingLength() < 0.1 && result.pixelLength() > 1.0, "lengths: " + result);
        assertEquals(45.0, result.chanceAngle(), 5.0,
                "chance |Delta angle| of uniform orientations is about 45: " + result);
    }

    @Test
    void shouldPickTheBestFittingAtomsFirst() {
        Needle[] needles = {
            new Needle(0, 1, 1, 10, 3, 1, 10, 3, 0.5),
            new Needle(1, 1, 1, 10, 3, 1, 10, 3, 0.9),
            new Needle(2, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0),
            new Needle(3, 1, 1, 10, 3, 1, 10, 3, 0.7),
        };
        assertArrayEquals(new int[] {1, 3}, NeedleComparison.bestFit(needles, 2));
        assertArrayEquals(new int[] {1, 3, 0}, NeedleComparison.bestFit(needles, 10));
        INDArray p = TestArrays.toNd4j(TestArrays.gaussian(2, 4, new SplittableRandom(83)));
        assertThrows(IllegalArgumentException.class,
                () -> NeedleComparison.compare(p, p, needles, new int[] {0, 1, 2}, 1, Orientation.AXIS),
                "NaN needle in the set");
        assertThrows(IllegalArgumentException.class,
                () -> NeedleComparison.compare(p, p, needles, new int[] {0, 1}, 2, Orientation.AXIS),
                "set smaller than k + 1");
    }
}
