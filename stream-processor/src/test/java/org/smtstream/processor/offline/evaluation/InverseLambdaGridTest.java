package org.smtstream.processor.offline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The choice among the grid's points and the columns of the moving locations. */
class InverseLambdaGridTest {

    /** The best fraction of lambda_max by SNR over all locations; the fixed lambda is never chosen. */
    @Test
    void shouldChooseTheFractionWithTheHighestSnrOverAllLocations() {
        List<InverseLambdaGrid.Point> points = List.of(
                new InverseLambdaGrid.Point(true, 0.01, 1e-4, 9.0, 20.0, 10),
                new InverseLambdaGrid.Point(true, 0.05, 1e-4, 11.0, 1.0, 10),
                new InverseLambdaGrid.Point(true, 0.2, 1e-4, 10.0, 2.0, 10),
                new InverseLambdaGrid.Point(false, 0.3, 1e-4, 30.0, 30.0, 10));
        assertEquals(0.05, InverseLambdaGrid.best(points));
        assertThrows(IllegalArgumentException.class,
                () -> InverseLambdaGrid.best(List.of(new InverseLambdaGrid.Point(false, 0.3, 1e-4, 1, 1, 1))));
    }

    @Test
    void shouldFindTheMovingLocationsInEveryFrameOfABatch() {
        assertArrayEquals(new int[] {3, 1, 7, 5, 11, 9}, InverseLambdaGrid.movingColumns(new int[] {3, 1}, 4, 3));
    }
}
