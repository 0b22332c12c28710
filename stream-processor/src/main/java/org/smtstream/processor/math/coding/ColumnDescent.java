package org.smtstream.processor.math.coding;

import java.util.Arrays;

/**
 * Coordinate descent with covariance updates on one column of a scaled {@link GramLasso}, for
 * {@link ActiveSetSolver}. The column's codes c and its full gradient g~ = H~ c - b~ live in Java
 * arrays (column-major N x B buffers, the column at an offset). One call is one round:
 * <ol>
 *   <li>A scan of all N atoms on the full gradient gives the column's duality gap (see
 *       {@link ActiveSetSolver} for the formula), and the column stops when it passes. Otherwise the
 *       scan forms the working set W afresh: the active atoms, and of the atoms that violate the
 *       optimality conditions (a_j = 0 with g_j &lt; -lambda w_j) the worst ones, at most as many as
 *       are active (and at least {@value #MIN_ADMITTED}). An atom that went back to 0 and no longer
 *       violates leaves W, so W stays about twice the size of the support.</li>
 *   <li>Sweeps: coordinate steps over W only, on copies of the block H~_WW, c_W and g~_W, so a step
 *       that moves c_j costs |W| multiply-adds, not N. They stop when the gap of the problem
 *       restricted to W passes, when a sweep moves nothing, or after {@link #ROUND_SWEEPS}. The new
 *       c_W goes back into the column; its full gradient is left for the caller to compute afresh.</li>
 * </ol>
 * Why: codes of whitened patches have tens of active atoms out of hundreds or thousands. The block
 * gather costs |W|^2 reads scattered over the N x N Gram matrix, so admitting every violator of a
 * cold or drifting column (hundreds) made it the solver's largest cost; the violators left out are
 * admitted by a later round if they still violate then. Bringing the full gradient up to date after
 * the sweeps, one N-long axpy with a column of H~ per atom that moved, streamed most of H~ through the
 * cache for every column of the batch; {@link ActiveSetSolver} does it for all moved columns at once,
 * with one GEMM through the dictionary, instead (stream-processor/BENCHMARKS.md).
 *
 * <p>One instance per solve: it holds the problem's arrays and per-column scratch.
 */
final class ColumnDescent {

    /**
     * Inner sweeps per round at most: a round's fixed costs (the scan, the block gather, the batch's
     * gradient products) are worth a few sweeps, and atoms outside W may have started to violate.
     */
    static final int ROUND_SWEEPS = 10;

    /** Violators admitted per round at least, so that a column with few active atoms grows quickly. */
    static final int MIN_ADMITTED = 8;

    private final int size;
    private final float[] gram;          // H~, N x N, symmetric: column j = row j
    private final float[] weights;       // w~_j = w_j / d_j
    private final float[] reciprocal;    // d_j / w_j: g~_j times this is g_j / w_j (0 for invisible atoms)
    private final double lambda;
    private final double tolerance;
    private final int[] set;
    private final float[] violations;         // g_j / w_j of the violators, for the admission threshold
    private float[][] block = new float[0][];  // H~_WW by rows (= columns), gathered per round
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
        this.violations = new float[size];
        this.codes = new float[size];
        this.gradient = new float[size];
        this.thresholds = new float[size];
    }

    /**
     * One round on the column at {@code offset}: its gap on the gradient as given, and unless that
     * passes (or no sweep is left), sweeps over its working set, which update its codes in place.
     *
     * @param c      scaled codes, N x B column-major
     * @param g      scaled gradient H~ c - b~ of those codes, same layout; not modified
     * @param b      scaled linear term b~, same layout
     * @param offset b N, where the column starts
     * @param energy ||y||^2 of the column
     * @param maxSweeps sweeps it may still take
     * @return the objective and gap of the codes as given (a certificate when the gradient is exact),
     *         and the sweeps it took: 0 when the gap passed or no sweep was left
     */
    Outcome solve(float[] c, float[] g, float[] b, int offset, double energy, int maxSweeps) {
        int violators = 0;
        int count = 0;
        double mostNegative = 0;
        for (int j = 0; j < size; j++) {
            double ratio = g[offset + j] * reciprocal[j];                // g_j / w_j
            mostNegative = Math.min(mostNegative, ratio);
            if (c[offset + j] > 0) {
                count++;
            } else if (ratio < -lambda) {
                violations[violators++] = (float) ratio;
            }
        }
        float cutoff = admissionCutoff(violators, Math.max(MIN_ADMITTED, count));
        count = 0;
        for (int j = 0; j < size; j++) {
            float ratio = g[offset + j] * reciprocal[j];
            if (c[offset + j] > 0 || (ratio < -lambda && ratio <= cutoff)) {
                set[count++] = j;
            }
        }
        gatherColumn(c, g, offset, count);
        Gap full = gap(b, offset, count, energy, -mostNegative);
        if (full.gap() <= tolerance * full.primal() || maxSweeps <= 0 || count == 0) {
            return new Outcome(full.primal(), full.gap(), 0);
        }
        gatherBlock(count);
        int sweeps = sweepWorkingSet(b, offset, count, energy, maxSweeps);
        for (int k = 0; k < count; k++) {
            c[offset + set[k]] = codes[k];
        }
        return new Outcome(full.primal(), full.gap(), sweeps);
    }

    /**
     * The largest g_j / w_j a violator may have to join W: all of them when there are at most
     * {@code limit}, else the {@code limit}-th most negative (ties may admit a few more).
     */
    private float admissionCutoff(int violators, int limit) {
        if (violators <= limit) {
            return Float.POSITIVE_INFINITY;
        }
        Arrays.sort(violations, 0, violators);        // only a cold or drifting column has this many
        return violations[limit - 1];
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

    /**
     * Copies the block H~_WW out of the problem (only for a column that needs sweeps), one array per
     * row: HotSpot vectorizes the sweep's axpy {@code gradient[m] += move * row[m]}, but not the same
     * loop on one flat array read at an offset ({@code block[k |W| + m]}), which ran 3 to 5 times slower
     * (stream-processor/BENCHMARKS.md).
     */
    private void gatherBlock(int count) {
        if (block.length < count) {
            block = Arrays.copyOf(block, Math.max(count, 2 * block.length));
        }
        for (int k = 0; k < count; k++) {
            float[] row = block[k];
            if (row == null || row.length < count) {
                row = new float[Math.max(count, row == null ? 0 : 2 * row.length)];
                block[k] = row;
            }
            int column = set[k] * size;
            for (int m = 0; m < count; m++) {
                row[m] = gram[column + set[m]];
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
            float[] row = block[k];
            float diagonal = row[k];
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
                    gradient[m] += move * row[m];
                }
            }
        }
        return moved;
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
