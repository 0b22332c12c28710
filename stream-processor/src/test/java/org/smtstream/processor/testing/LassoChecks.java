package org.smtstream.processor.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.smtstream.processor.math.coding.SparseCodingResult;

/** Assertions shared by the tests of the positive-lasso solvers: supports and duality-gap certificates. */
public final class LassoChecks {

    private LassoChecks() {
    }

    /**
     * Every entry above {@code threshold} in {@code optimum} is positive in {@code got} (the solver left
     * out no atom that is active at the optimum), and every entry above it in {@code got} is positive
     * in {@code optimum}.
     */
    public static void assertSameSupport(double[][] optimum, double[][] got, double threshold, String what) {
        for (int j = 0; j < optimum.length; j++) {
            for (int b = 0; b < optimum[0].length; b++) {
                if (optimum[j][b] > threshold) {
                    assertTrue(got[j][b] > 0, what + ": atom " + j + " of column " + b + " is " + optimum[j][b]
                            + " at the optimum but left out");
                }
                if (got[j][b] > threshold) {
                    assertTrue(optimum[j][b] > 0, what + ": atom " + j + " of column " + b + " is active ("
                            + got[j][b] + ") but not at the optimum");
                }
            }
        }
    }

    /**
     * The duality gap a solver reported bounds its distance to the optimum from above (up to float
     * rounding of the objectives, 1e-6 relative) and is within the tolerance it stopped on.
     *
     * @param result    what the solver returned
     * @param objective its objective recomputed in double
     * @param optimum   the objective of a long reference solve (at least the true optimum)
     * @param tolerance the relative duality gap the solver was asked for
     */
    public static void assertCertificate(SparseCodingResult result, double objective, double optimum, double tolerance,
                                         String what) {
        double distance = objective - optimum;
        assertTrue(result.dualityGap() >= distance - 1e-6 * optimum, what + ": gap " + result.dualityGap()
                + " below the distance to the optimum " + distance);
        assertTrue(result.dualityGap() <= tolerance * result.objective(), what + ": stopped at gap "
                + result.dualityGap() + " with objective " + result.objective() + " and tolerance " + tolerance);
    }
}
