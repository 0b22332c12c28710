package org.smtstream.processor.math.coding;

/**
 * Coordinate descent with covariance updates on one column of a scaled {@link GramLasso}, for
 * {@link ActiveSetSolver}. The column's codes c and its full gradient g~ = H~ c - b~ live in Java
 * arrays (column-major N x B buffers, the column at an offset). The work is split in two levels:
 * <ol>
 *   <li>Rounds: a scan of all N atoms on the full gradient gives the column's duality gap (see
 *       {@link ActiveSetSolver} for the formula), and the column stops when it passes. Otherwise the
 *       scan forms the working set W afresh: the active atoms and those violating the optimality
 *       conditions (a_j = 0 with g_j &lt; -lambda w_j). An atom that went back to 0 and no longer
 *       violates leaves W, so W stays the size of the support.</li>
 *   <li>Sweeps: coordinate steps over W only, on copies of the block H~_WW, c_W and g~_W, so a step
 *       that moves c_j costs |W| multiply-adds, not N. They stop when the gap of the problem
 *       restricted to W passes, when a sweep moves nothing, or after {@link #ROUND_SWEEPS}. Then the
 *       full gradient follows by one contiguous axpy with column j of H~ per atom that moved.</li>
 * </ol>
 * Why: codes of whitened patches have tens of active atoms out of hundreds or thousands, and a
 * column needs 10-30 sweeps; updating all N entries of the gradient at every step, when the scan
 * needs them once per round, cost most of the solver's time (stream-processor/BENCHMARKS.md).
 *
 * <p>One instance per solve: it holds the problem's arrays and per-column scratch.
 */
final class ColumnDescent {

    /**
     * Inner sweeps per round at most. A round costs N (the scan) plus N per atom that moved (the
     * full gradient), about what ten to twenty inner sweeps over tens of atoms cost.
     */
    static final int ROUND_SWEEPS = 10;

    private final int size;
    private final float[] gram;          // H~, N x N, symmetric: column j = row j
    private final float[] weights;       // w~_j = w_j / d_j
    private final float[] reciprocal;    // d_j / w_j: g~_j times this is g_j / w_j (0 for invisible atoms)
    private final double lambda;
    private final double tolerance;
    private final int[] set;
    private float[] block = new float[0];     // H~_WW, |W| x |W|, gathered per round
    private final float[] codes;              // c_W
    private final float[] gradient;           // g~_W
    private final float[] thresholds;         // lambda w~_j of W

    /** The column's objective, duality gap and sweeps. */
    record Outcome(double primal, double gap, int sweeps) {
    }

    /** Objective and gap of codes from the sums of their formula. */
    private record Gap(double primal, double gap) {
    }

    ColumnDescent(GramLasso problem, double lambda, double tolerance) {
        this.size = problem.size();
        this.gram = problem.gramValues();
        this.weights = problem.scaledWeights().data().asFloat();
        this.reciprocal = problem.reciprocalWeights().data().asFloat();
        this.lambda = lambda;
        this.tolerance = tolerance;
        this.set = new int[size];
        this.codes = new float[size];
        this.gradient = new float[size];
        this.thresholds = new float[size];
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
        int sweeps = 0;
        while (true) {
            // W afresh each round: the active atoms and the violating ones. An atom that went back
            // to 0 and stays there leaves it, so the block and every step's update stay that small.
            int count = 0;
            double mostNegative = 0;
            for (int j = 0; j < size; j++) {
                double ratio = g[offset + j] * reciprocal[j];           // g_j / w_j
                mostNegative = Math.min(mostNegative, ratio);
                if (c[offset + j] > 0 || ratio < -lambda) {
                    set[count++] = j;
                }
            }
            gatherColumn(c, g, offset, count);
            Gap full = gap(b, offset, count, energy, -mostNegative);
            if (full.gap() <= tolerance * full.primal() || sweeps >= maxSweeps || count == 0) {
                return new Outcome(full.primal(), full.gap(), sweeps);
            }
            gatherBlock(count);
            sweeps += sweepWorkingSet(b, offset, count, energy, maxSweeps - sweeps);
            scatter(c, g, offset, count);
        }
    }

    /** Copies c_W, g~_W and the thresholds of W out of the column. */
    private void gatherColumn(float[] c, float[] g, int offset, int count) {
        for (int k = 0; k < count; k++) {
            int j = set[k];
            codes[k] = c[offset + j];
            gradient[k] = g[offset + j];
            thresholds[k] = (float) (lambda * weights[j]);
        }
    }

    /** Copies the block H~_WW out of the problem (only for a column that needs sweeps). */
    private void gatherBlock(int count) {
        if (block.length < count * count) {
            block = new float[Math.max(count * count, 2 * block.length)];
        }
        for (int k = 0; k < count; k++) {
            int column = set[k] * size;
            int out = k * count;
            for (int m = 0; m < count; m++) {
                block[out + m] = gram[column + set[m]];
            }
        }
    }

    /**
     * Sweeps over W on the gathered block until the gap of the problem restricted to W passes or a
     * sweep moves nothing: at least once, at most {@value #ROUND_SWEEPS} times (atoms outside W may
     * have started to violate meanwhile, and a tolerance of 0 never passes) and within {@code budget}.
     *
     * @return the sweeps taken
     */
    private int sweepWorkingSet(float[] b, int offset, int count, double energy, int budget) {
        int limit = Math.min(budget, ROUND_SWEEPS);
        int sweeps = 0;
        while (sweeps < limit) {
            boolean moved = sweep(count);
            sweeps++;
            if (!moved) {
                break;
            }
            double mostNegative = 0;
            for (int k = 0; k < count; k++) {
                mostNegative = Math.min(mostNegative, gradient[k] * (double) reciprocal[set[k]]);
            }
            Gap restricted = gap(b, offset, count, energy, -mostNegative);
            if (restricted.gap() <= tolerance * restricted.primal()) {
                break;
            }
        }
        return sweeps;
    }

    /** One pass of coordinate steps over the working set, on its gathered block; whether any atom moved. */
    private boolean sweep(int count) {
        boolean moved = false;
        for (int k = 0; k < count; k++) {
            int column = k * count;
            float diagonal = block[column + k];
            if (!(diagonal > 0)) {
                continue;                                                  // invisible atom: stays 0
            }
            float current = codes[k];
            float next = Math.max(0f, current - (gradient[k] + thresholds[k]) / diagonal);
            float move = next - current;
            if (move != 0f) {
                codes[k] = next;
                moved = true;
                for (int m = 0; m < count; m++) {
                    gradient[m] += move * block[column + m];
                }
            }
        }
        return moved;
    }

    /** Writes c_W back into the column and brings its full gradient up to date with the moves. */
    private void scatter(float[] c, float[] g, int offset, int count) {
        for (int k = 0; k < count; k++) {
            int j = set[k];
            float move = codes[k] - c[offset + j];
            if (move != 0f) {
                c[offset + j] = codes[k];
                int column = j * size;
                for (int i = 0; i < size; i++) {
                    g[offset + i] += move * gram[column + i];
                }
            }
        }
    }

    /**
     * Objective and duality gap of the gathered c_W with gradient g~_W (c is 0 outside W).
     *
     * @param worst max_j -g_j / w_j over the atoms the gap is taken on
     */
    private Gap gap(float[] b, int offset, int count, double energy, double worst) {
        double linear = 0;
        double curvature = 0;
        double l1 = 0;
        for (int k = 0; k < count; k++) {
            int j = set[k];
            double cj = codes[k];
            linear += b[offset + j] * cj;
            curvature += gradient[k] * cj;
            l1 += weights[j] * cj;
        }
        double residual = energy - linear + curvature;                // ||r||^2
        double primal = 0.5 * residual + lambda * l1;
        return new Gap(primal, primal - dual(energy - linear, residual, worst));
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
