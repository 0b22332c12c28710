package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.smtstream.model.FloatMatrix;
import org.smtstream.web.AffinityGroups.Group;
import org.smtstream.web.AffinityGroups.Neighbour;

class AffinityGroupsTest {

    private static final int F = 16;
    private static final int N = 200;
    private static final int K = 4;

    /**
     * A random P (f x N) with planted neighbours of atom 7: atoms 50, 51, 52, 53 are its column times
     * 10, 0.1, 3 and 1 plus increasing amounts of noise, so their cosines fall in that order whatever
     * their scale; every other column is independent noise.
     */
    private static FloatMatrix plantedP() {
        Random random = new Random(7);
        float[] data = new float[F * N];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        float[] scales = {10, 0.1f, 3, 1};
        double[] noise = {0.0, 0.05, 0.15, 0.3};
        for (int m = 0; m < 4; m++) {
            for (int r = 0; r < F; r++) {
                data[r * N + 50 + m] = (float) (scales[m] * (data[r * N + 7] + noise[m] * random.nextGaussian()));
            }
        }
        return new FloatMatrix(F, N, data);
    }

    @Test
    void shouldFindPlantedNeighboursByCosineWhateverTheirScale() {
        Group group = AffinityGroups.topK(plantedP(), 7, K);

        assertEquals(7, group.atom());
        assertEquals(List.of(50, 51, 52, 53), group.neighbours().stream().map(Neighbour::atom).toList());
        assertEquals(1.0, group.neighbours().get(0).cosine(), 1e-6, "a scaled copy has cosine 1");
        for (int i = 1; i < K; i++) {
            assertTrue(group.neighbours().get(i).cosine() < group.neighbours().get(i - 1).cosine(),
                    "most similar first");
        }
        assertEquals(List.of(7, 50, 51, 52, 53), Arrays.stream(group.tiles()).boxed().toList());
    }

    @Test
    void shouldNeverPairAnAtomWithItselfOrWithAZeroColumn() {
        float[] data = {
            1, 1, 0, 1,
            0, 0, 0, 0.1f};
        FloatMatrix p = new FloatMatrix(2, 4, data);

        Group group = AffinityGroups.topK(p, 0, 3);

        assertEquals(List.of(1, 3), group.neighbours().stream().map(Neighbour::atom).toList());
    }

    @Test
    void shouldKeepTheLowerIndexFirstAmongEquallySimilarAtoms() {
        // atoms 1, 3 and 4 all point along atom 0; atom 2 is orthogonal to it
        float[] data = {
            1, 2, 0, 3, 0.5f,
            0, 0, 1, 0, 0};
        FloatMatrix p = new FloatMatrix(2, 5, data);

        assertEquals(List.of(1, 3), AffinityGroups.topK(p, 0, 2).neighbours().stream().map(Neighbour::atom).toList());
        assertEquals(List.of(1, 3, 4, 2),
                AffinityGroups.topK(p, 0, 4).neighbours().stream().map(Neighbour::atom).toList());
    }

    @Test
    void shouldBuildGroupsAroundTheMostUsedAtoms() {
        ModelSnapshot model = Samples.model(3);

        List<Group> groups = AffinityGroups.ofMostUsed(model.p(), model.meanActivity(), 2, 2);

        // Activities 0.5, 0.1, 0.1, 0.9, 0.2, 0.05: atoms 3 and 0 are used most.
        assertEquals(List.of(3, 0), groups.stream().map(Group::atom).toList());
        // Atom 0's column (1, 0, 0) is atom 1's (2, 0, 0) direction exactly and close to atom 2's (1, 0.2, 0).
        assertEquals(List.of(1, 2), groups.get(1).neighbours().stream().map(Neighbour::atom).toList());
    }
}
