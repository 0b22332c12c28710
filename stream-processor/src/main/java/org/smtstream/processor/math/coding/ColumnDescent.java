package org.smtstream.processor.math.coding;

/**
 * Coordinate descent with covariance updates on one column of a scaled {@link GramLasso}, for
 * {@link ActiveSetSolver}: the column's codes c and its full gradient g~ = H~ c - b~ live in Java
 * arrays (column-major N x B buffers, the column at an offset), and every coordinate step that moves
 * c_j adds the move times column j of H~ to g~. The working set is the column's active atoms plus
 * those found violating after each sweep; the scan that finds them also gives the column's duality
 * gap (see {@link ActiveSetSolver} for the formula).
 *
 * <p>One instance per solve: it holds the problem's arrays and per-column scratch.
 */
final class ColumnDescent {

    private final int size;
    private final float[] gram;          // H~, N x N, symmetric: column j = row j
    private final float[] weights;       // w~_j = w_j / d_j
    private final float[] reciprocal;    // d_j / w_j: g~_j times this is g_j / w_j (0 for invisible atoms)
    private final double lambda;
    private final double tolerance;
    private final int[] set;
    private final boolean[] member;

    /** The column's objective, duality gap and sweeps. */
    record Outcome(double primal, double gap, int sweeps) {
    }

    ColumnDescent(GramLasso problem, double lambda, double tolerance) {
        this.size = problem.size();
        this.gram = problem.gramValues();
        this.weights = problem.scaledWeights().data().asFloat();
        this.reciprocal = problem.reciprocalWeights().data().asFloat();
        this.lambda = lambda;
        this.tolerance = tolerance;
        this.set = new int[size];
        this.member = new boolean[size];
    }

    /**
     * Solves the column at {@code offset}, updating its codes and gradient in place.
     *
     * @param c      scaled codes, N x B column-major
     * @param g      scaled gradient H~ c - b~ of those codes, same layout
     * @param b      scaled linear term b~, same layout
     * @param offset b N, where the column starts
     * @param energy ||y||^2 of the column
     * @param maxSweeps sweeps it may still take
     * @return the objective and gap of the codes it leaves, measured on the gradient its sweeps updated
     *         (with 0 sweeps: on the codes and gradient as given), and the sweeps it took
     */
    Outcome solve(float[] c, float[] g, float[] b, int offset, double energy, int maxSweeps) {
        int count = 0;
        for (int j = 0; j < size; j++) {
            member[j] = c[offset + j] > 0;
            if (member[j]) {
                set[count++] = j;
            }
        }
        int sweeps = 0;
        while (true) {
            double linear = 0;
            double curvature = 0;
            double l1 = 0;
            for (int k = 0; k < count; k++) {
                int j = set[k];
                double cj = c[offset + j];
                linear += b[offset + j] * cj;
                curvature += g[offset + j] * cj;
                l1 += weights[j] * cj;
            }
            double mostNegative = 0;
            for (int j = 0; j < size; j++) {
                double ratio = g[offset + j] * reciprocal[j];           // g_j / w_j
                mostNegative = Math.min(mostNegative, ratio);
                if (ratio < -lambda && !member[j]) {
                    member[j] = true;
                    set[count++] = j;
                }
            }
            double residual = energy - linear + curvature;                // ||r||^2
            double primal = 0.5 * residual + lambda * l1;
            double gap = primal - dual(energy - linear, residual, -mostNegative);
            if (gap <= tolerance * primal || sweeps >= maxSweeps || count == 0) {
                clear(count);
                return new Outcome(primal, gap, sweeps);
            }
            sweep(c, g, offset, count);
            sweeps++;
        }
    }

    /** One pass of coordinate steps over the working set. */
    private void sweep(float[] c, float[] g, int offset, int count) {
        for (int k = 0; k < count; k++) {
            int j = set[k];
            int column = j * size;
            float diagonal = gram[column + j];
            if (!(diagonal > 0)) {
                continue;                                                  // invisible atom: stays 0
            }
            float current = c[offset + j];
            float next = Math.max(0f, current - (g[offset + j] + (float) (lambda * weights[j])) / diagonal);
            float move = next - current;
            if (move != 0f) {
                c[offset + j] = next;
                for (int i = 0; i < size; i++) {
                    g[offset + i] += move * gram[column + i];
                }
            }
        }
    }

    private void clear(int count) {
        for (int k = 0; k < count; k++) {
            member[set[k]] = false;
        }
    }

    /**
     * The dual objective D(s r) = s r^T y - s^2/2 ||r||^2 at the best feasible scale: its maximizer
     * r^T y / ||r||^2, capped where theta = s r meets the constraint of the most violating atom,
     * s max_j (-g_j / w_j) &lt;= lambda.
     *
     * @param correlation r^T y = ||y||^2 - b^T a
     * @param residual    ||r||^2
     * @param worst       max_j -g_j / w_j
     */
    private double dual(double correlation, double residual, double worst) {
        if (!(residual > 0)) {
            return 0;                                   // r = 0 (to rounding): theta = 0, always feasible
        }
        double s = Math.max(0, correlation / residual);
        if (worst > 0) {
            s = Math.min(s, lambda / worst);
        }
        return s * correlation - 0.5 * s * s * residual;
    }
}
