package org.smtstream.processor.math.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.model.CosineNeighbours;
import org.smtstream.model.FloatMatrix;
import org.smtstream.processor.testing.TestArrays;

/** Top-k cosine (and Euclidean) neighbours against planted answers and a brute-force reference. */
class AffinityGroupsTest {

    /** Cosines are computed from float32 columns: ~1e-7 relative error per entry of O(1). */
    private static final double SIMILARITY_TOL = 1e-5;

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

    @Test
    void shouldMakePlantedDuplicatesEachOthersNearestNeighbour() {
        SplittableRandom random = new SplittableRandom(61);
        double[][] p = TestArrays.gaussian(20, 200, random);
        for (int r = 0; r < 20; r++) {
            p[r][57] = 3.0 * p[r][12];                                      // same direction, other length
            p[r][150] = p[r][3] + 1e-3 * TestArrays.gaussian(random);      // near duplicate
        }
        AffinityGroups groups = AffinityGroups.of(TestArrays.toNd4j(p), 5);
        assertEquals(200, groups.size());
        assertEquals(5, groups.k());
        assertEquals(57, groups.neighbours()[12][0], "nearest of 12: " + Arrays.toString(groups.neighbours()[12]));
        assertEquals(12, groups.neighbours()[57][0], "nearest of 57: " + Arrays.toString(groups.neighbours()[57]));
        assertEquals(150, groups.neighbours()[3][0], "nearest of 3: " + Arrays.toString(groups.neighbours()[3]));
        assertEquals(3, groups.neighbours()[150][0], "nearest of 150: " + Arrays.toString(groups.neighbours()[150]));
        assertEquals(1.0, groups.similarities()[12][0], SIMILARITY_TOL);
        assertEquals(1.0, groups.similarities()[3][0], 1e-4);
    }

    @Test
    void shouldMatchBruteForceCosineNeighboursAndNeverIncludeTheAtomItself() {
        SplittableRandom random = new SplittableRandom(62);
        double[][] p = TestArrays.gaussian(12, 90, random);
        for (int r = 0; r < 12; r++) {
            p[r][40] = 0;                                                   // a zero column: similarity 0
        }
        int k = 7;
        AffinityGroups groups = AffinityGroups.of(TestArrays.toNd4j(p), k);
        for (int j = 0; j < 90; j++) {
            final int atom = j;
            int[] expected = IntStream.range(0, 90).filter(l -> l != atom).boxed()
                    .sorted(Comparator.comparingDouble(l -> -(atom == 40 || l == 40 ? 0.0 : cosine(p, atom, l))))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            if (j == 40) {
                for (float s : groups.similarities()[j]) {
                    assertEquals(0.0, s, 0.0, "zero column has similarity 0");
                }
                continue;
            }
            for (int q = 0; q < k; q++) {
                assertNotEquals(j, groups.neighbours()[j][q], "atom " + j + " listed as its own neighbour");
                double reference = cosine(p, j, expected[q]);
                assertEquals(reference, groups.similarities()[j][q], SIMILARITY_TOL,
                        "similarity rank " + q + " of atom " + j);
            }
            assertArrayEquals(expected, groups.neighbours()[j], "neighbours of atom " + j);
        }
    }

    @Test
    void shouldFollowTheSharedRuleForZeroColumnsAndTies() {
        // columns: 0 (1, 0), 1 zero, 2 (-1, 0), 3 (-2, 0), 4 (0, 0) zero, 5 (3, 0)
        double[][] p = {{1, 0, -1, -2, 0, 3}, {0, 0, 0, 0, 0, 0}};
        AffinityGroups groups = AffinityGroups.of(TestArrays.toNd4j(p), 3);
        assertArrayEquals(new int[] {5, 2, 3}, groups.neighbours()[0],
                "zero columns 1 and 4 are never neighbours though 0 beats -1; the tie 2, 3 keeps index order");
        assertArrayEquals(new float[] {1f, -1f, -1f}, groups.similarities()[0], 1e-6f);
        assertArrayEquals(new int[] {0, 2, 3}, groups.neighbours()[1], "a zero column: 0 with all, ties by index");
        FloatMatrix same = new FloatMatrix(2, 6, new float[] {1, 0, -1, -2, 0, 3, 0, 0, 0, 0, 0, 0});
        assertArrayEquals(CosineNeighbours.of(same, CosineNeighbours.columnNorms(same), 3, 3).columns(),
                groups.neighbours()[3], "the web view's answer");
        assertArrayEquals(new int[] {3}, AffinityGroups.of(TestArrays.toNd4j(new double[][] {{1, 0, 0, 2}}), 2)
                .neighbours()[0], "fewer than k when fewer other columns are non-zero");
    }

    @Test
    void shouldMatchBruteForceEuclideanNeighbours() {
        SplittableRandom random = new SplittableRandom(63);
        double[][] x = TestArrays.gaussian(5, 70, random);
        AffinityGroups groups = AffinityGroups.nearestEuclidean(TestArrays.toNd4j(x), 4);
        for (int j = 0; j < 70; j++) {
            final int atom = j;
            double[] d2 = new double[70];
            for (int l = 0; l < 70; l++) {
                for (double[] row : x) {
                    d2[l] += (row[atom] - row[l]) * (row[atom] - row[l]);
                }
            }
            int[] expected = IntStream.range(0, 70).filter(l -> l != atom).boxed()
                    .sorted(Comparator.comparingDouble(l -> d2[l])).limit(4).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, groups.neighbours()[j], "Euclidean neighbours of " + j);
            assertEquals(d2[expected[0]], groups.similarities()[j][0], 1e-4 * (1 + d2[expected[0]]),
                    "squared distance");
        }
    }

    @Test
    void shouldComputeTheFullCosineMatrix() {
        SplittableRandom random = new SplittableRandom(64);
        double[][] p = TestArrays.gaussian(6, 9, random);
        INDArray c = AffinityGroups.cosineSimilarity(TestArrays.toNd4j(p));
        assertEquals(cosine(p, 2, 7), c.getDouble(2, 7), SIMILARITY_TOL);
        assertEquals(1.0, c.getDouble(4, 4), SIMILARITY_TOL);
    }

    @Test
    void shouldRejectAnImpossibleK() {
        INDArray p = TestArrays.toNd4j(TestArrays.gaussian(3, 5, new SplittableRandom(65)));
        assertThrows(IllegalArgumentException.class, () -> AffinityGroups.of(p, 5));
        assertThrows(IllegalArgumentException.class, () -> AffinityGroups.of(p, 0));
    }
}
