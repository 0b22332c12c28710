package org.smtstream.processor.math.coding;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.smtstream.processor.math.linalg.Blas1;

/**
 * The lasso of a {@link GramLasso} restricted, column by column, to a working set S_b of atoms (the
 * other codes of column b fixed at 0), in the scaled variables c:
 * <pre>
 *   min_{c_S &gt;= 0}  1/2 c_S^T H~_SS c_S - b~_S^T c_S + lambda w~_S^T c_S,   S = S_b, for every b
 * </pre>
 * A patch's code uses a few percent of the atoms, but the patches of a frame together use nearly all
 * of them, so one working set for the batch would be nearly N wide. Here every column keeps its own,
 * and the B small problems run as one batch: the sets are padded to the widest, K, and the blocks
 * H~_{S_b S_b} gathered into one B x K x K array, so a FISTA step is one batched product (2 B K^2
 * flops instead of 2 N^2 B) and a few BLAS level-1 updates over B x K values. A padded slot holds an
 * atom of its column with a threshold so large that its code stays at 0 (it then adds nothing to any
 * product), which keeps the steps free of masks.
 *
 * <p>The step is 1/lambda_max(H~), valid for every principal block; the momentum restarts where it
 * points uphill, as in {@link SparseCoder}. Arrays are created inside the solver's workspace and
 * dropped with it.
 */
final class ColumnWorkingSets {

    /** Threshold of a padded slot: its gradient step is always negative, so its code stays 0. */
    private static final double PADDING_THRESHOLD = 1e20;

    private final int width;
    private final int size;
    private final int[] slots;            // b N + S_b[k]: where slot (b, k) sits in an N x B column-major buffer
    private final boolean[] real;         // false for the padding of a set narrower than K
    private final INDArray block;         // H~_{S_b S_b}, B x K x K
    private final INDArray offset;        // step (b~ - lambda w~) on the slots, B x K x 1
    private final INDArray product;
    private final INDArray extrapolated;
    private final INDArray change;
    private final double step;
    private INDArray current;
    private INDArray latest;
    private double momentum;

    /**
     * @param problem      the scaled problem
     * @param sets         S_b for every column b, each ascending (may be empty)
     * @param lambda       l1 weight
     * @param scaledLinear b~, N x B 'f'
     * @param scaledCodes  c, N x B 'f': the start (its entries on the sets are read)
     * @param scaledPoint  FISTA's extrapolated point of the previous sets, N x B 'f', or null to start
     *                     without momentum
     * @param momentum     FISTA's t of the previous sets (1 without them)
     */
    ColumnWorkingSets(GramLasso problem, int[][] sets, double lambda, INDArray scaledLinear, INDArray scaledCodes,
                      INDArray scaledPoint, double momentum) {
        int size = problem.size();
        int batch = sets.length;
        int widest = 1;
        for (int[] set : sets) {
            widest = Math.max(widest, set.length);
        }
        this.width = widest;
        this.size = size;
        slots = new int[batch * widest];
        real = new boolean[batch * widest];
        for (int b = 0; b < batch; b++) {
            int[] set = sets[b];
            for (int k = 0; k < widest; k++) {
                slots[b * widest + k] = b * size + (k < set.length ? set[k] : set.length > 0 ? set[0] : 0);
                real[b * widest + k] = k < set.length;
            }
        }
        block = Nd4j.createFromArray(blocks(problem.gramValues(), batch)).reshape(batch, widest, widest);
        step = 1.0 / problem.lipschitz();
        float[] linear = onSlots(scaledLinear.data().asFloat());
        float[] weights = problem.scaledWeights().data().asFloat();
        float[] shifted = new float[linear.length];
        for (int k = 0; k < shifted.length; k++) {
            double threshold = real[k] ? lambda * weights[slots[k] % size] : PADDING_THRESHOLD;
            shifted[k] = (float) (step * (linear[k] - threshold));
        }
        offset = slotArray(shifted);
        current = slotArray(onSlots(scaledCodes.data().asFloat()));
        Transforms.relu(current, false);
        latest = current.dup('c');
        extrapolated = scaledPoint == null ? current.dup('c') : slotArray(onSlots(scaledPoint.data().asFloat()));
        change = current.dup('c');
        product = current.dup('c');
        this.momentum = momentum;
    }

    /**
     * H~_{S_b S_b} for every column, B x K x K row-major, gathered from the Gram matrix's values
     * (symmetric, so row-major and column-major read the same).
     */
    private float[] blocks(float[] gram, int batch) {
        float[] out = new float[batch * width * width];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < width; i++) {
                int row = (slots[b * width + i] % size) * size;
                int base = (b * width + i) * width;
                for (int j = 0; j < width; j++) {
                    out[base + j] = gram[row + slots[b * width + j] % size];
                }
            }
        }
        return out;
    }

    /** K, the width of the widest set. */
    int width() {
        return width;
    }

    /**
     * Runs FISTA steps on every column's problem at once.
     *
     * @return the steps taken
     */
    int iterate(int steps) {
        for (int k = 0; k < steps; k++) {
            Nd4j.matmul(block, extrapolated, product);                               // H~_SS Z, batched
            Blas1.copy(extrapolated, latest);
            Blas1.axpy(1.0, offset, latest);
            Blas1.axpy(-step, product, latest);                                  // Z - step (H~ Z - b~ + lambda w~)
            Transforms.relu(latest, false);                                       // [.]_+ : the prox step
            Blas1.copy(latest, change);
            Blas1.axpy(-1.0, current, change);                                   // C_k - C_{k-1}
            if (Blas1.dot(extrapolated, change) - Blas1.dot(latest, change) > 0) {
                momentum = 1;                                                     // uphill: restart
            }
            double next = (1 + Math.sqrt(1 + 4 * momentum * momentum)) / 2;
            Blas1.copy(latest, extrapolated);
            Blas1.axpy((momentum - 1) / next, change, extrapolated);
            momentum = next;
            INDArray swap = current;
            current = latest;
            latest = swap;
        }
        return steps;
    }

    /**
     * Writes the codes into {@code scaledCodes} and the extrapolated point into {@code scaledPoint} (both
     * N x B 'f', zeroed first: outside the sets both are 0).
     */
    void scatterInto(INDArray scaledCodes, INDArray scaledPoint) {
        scatter(current, scaledCodes);
        scatter(extrapolated, scaledPoint);
    }

    /** FISTA's t, to continue the momentum on the next sets. */
    double momentum() {
        return momentum;
    }

    /** The slots' values (0 on padded slots) as an N x B 'f' array's buffer, all else 0. */
    private void scatter(INDArray values, INDArray target) {
        float[] from = values.data().asFloat();
        float[] to = new float[(int) target.length()];
        for (int k = 0; k < slots.length; k++) {
            if (real[k]) {
                to[slots[k]] = from[k];
            }
        }
        target.data().setData(to);
    }

    /** The entries of an N x B 'f' array's buffer on the slots (0 on padded slots). */
    private float[] onSlots(float[] columns) {
        float[] out = new float[slots.length];
        for (int k = 0; k < slots.length; k++) {
            out[k] = real[k] ? columns[slots[k]] : 0f;
        }
        return out;
    }

    private INDArray slotArray(float[] values) {
        return Nd4j.createFromArray(values).reshape(values.length / width, width, 1).dup('c');
    }
}
