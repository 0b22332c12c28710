package org.smtstream.processor.math.embedding;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * Streaming moments of the sparse codes alpha (N x 1 each), updated from N x B batches:
 * <pre>
 *   V       = E[alpha alpha^T]    N x N, the second moment, NOT centred
 *   mean    = E[alpha] = &lt;alpha&gt;  N x 1, the mean activity (W = diag(&lt;alpha&gt;) of eq. A.1)
 *   C       = V - mean mean^T      the centred covariance, on request
 * </pre>
 * The thesis calls V "the covariance matrix of alpha" (eqs. 3.3, A.1) without saying whether it is
 * centred; the embedding uses the uncentred V = E[alpha alpha^T] (ARCHITECTURE.md, "The math"). The
 * reasons: alpha &gt;= 0 is not a zero-mean signal, and when the codes have a conserved total (the
 * interpolation weights of the unit-disc demonstration sum to 1) the centred C is singular along
 * that direction, so P C P^T = I would blow the constant functional up to the size of 1/sqrt(eps)
 * of the regularizer, while the uncentred V keeps it at unit scale (the first, constant row of the
 * thesis's Figure 3.2A). {@link #covariance()} gives the centred matrix for callers who want it.
 *
 * <p>Weights: with {@code forgetting = 1} every column counts once and V, mean are the exact sample
 * averages over everything seen. With {@code forgetting} rho in (0, 1) a batch seen k batches ago has
 * weight rho^k (an exponential window of about B / (1 - rho) columns). Either way the update is the
 * stable running-average form (no growing sums, no cancellation):
 * <pre>
 *   w   &lt;- rho w + B                      total weight
 *   V   &lt;- (1 - B/w) V + (1/w) A A^T      one GEMM (A^T A is never formed)
 *   mean &lt;- (1 - B/w) mean + (1/w) A 1     one GEMV
 * </pre>
 * all in DOUBLE (the codes are cast once per batch into a preallocated buffer).
 *
 * <p>Cost: the factor (1 - B/w) that would rescale all of V every batch is kept as a scalar
 * instead, V = scale U, and folded into U only when it gets small or V is read
 * ({@link #secondMoment()}: a refit or a publication, not every frame). A A^T is one DGEMM (about 3
 * ms at N = 1024, B = 64 on two cores). Forming it only on the supports of the sparse codes, block
 * by block for groups of a few columns, was measured slower on real video: a frame's groups of 8
 * patches use a few hundred atoms each, and gathering and scattering those blocks in Java took
 * 20-45 ms a frame (stream-processor/BENCHMARKS.md).
 *
 * <p>Not thread-safe (ARCHITECTURE.md, trap T2).
 */
public final class RunningMoments {

    private static final String WORKSPACE = "smt-running-moments";
    /** The lazy scale is folded into U below this, long before U's entries could overflow. */
    private static final double FOLD_BELOW = 1e-6;

    private final int size;
    private final double forgetting;
    private final INDArray accumulated;   // U, N x N DOUBLE 'f': V = scale U
    private double scale = 1;
    private final INDArray mean;           // N x 1 DOUBLE
    private INDArray batchBuffer;          // A in double, N x B
    private INDArray ones;                 // B x 1 DOUBLE
    private double weight;
    private long columns;
    private long updates;

    /**
     * @param size       N, the number of atoms
     * @param forgetting rho in (0, 1]: 1 = exact averages, below 1 = exponential forgetting per batch
     */
    public RunningMoments(int size, double forgetting) {
        if (size < 1) {
            throw new IllegalArgumentException("Invalid size: " + size);
        }
        if (!(forgetting > 0 && forgetting <= 1)) {
            throw new IllegalArgumentException("Invalid forgetting factor: " + forgetting + " (must be in (0, 1])");
        }
        Nd4jRuntime.useFloatByDefault();
        this.size = size;
        this.forgetting = forgetting;
        this.accumulated = Nd4j.create(DataType.DOUBLE, new long[] {size, size}, 'f');
        this.mean = Nd4j.create(DataType.DOUBLE, new long[] {size, 1}, 'f');
    }

    /** Exact sample averages (forgetting factor 1). */
    public static RunningMoments exact(int size) {
        return new RunningMoments(size, 1.0);
    }

    /**
     * Adds a batch of codes.
     *
     * @param codes A, N x B (FLOAT or DOUBLE), one code per column; not modified
     */
    public void update(INDArray codes) {
        if (codes.rank() != 2 || codes.rows() != size || codes.columns() < 1) {
            throw new IllegalArgumentException("Codes have shape " + Arrays.toString(codes.shape())
                    + ", expected [" + size + ", B]");
        }
        int batch = codes.columns();
        if (batchBuffer == null || batchBuffer.columns() != batch) {
            batchBuffer = Nd4j.create(DataType.DOUBLE, new long[] {size, batch}, 'f');
            ones = Nd4j.ones(DataType.DOUBLE, batch, 1);
        }
        batchBuffer.assign(codes);
        double newWeight = forgetting * weight + batch;
        double keep = 1.0 - batch / newWeight;
        rescale(keep);
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            Nd4j.gemm(batchBuffer, batchBuffer, accumulated, false, true, 1.0 / (newWeight * scale), 1.0);
        }
        Nd4j.gemm(batchBuffer, ones, mean, false, false, 1.0 / newWeight, keep);                  // mean
        weight = newWeight;
        columns += batch;
        updates++;
    }

    /** V's factor (1 - B/w) goes into the scale; into U itself only when the scale gets small (or is 0). */
    private void rescale(double keep) {
        scale *= keep;
        if (scale == 0) {
            accumulated.assign(0);    // the first batch: nothing to keep, and 0 * NaN would keep a NaN
            scale = 1;
        } else if (scale < FOLD_BELOW) {
            fold();
        }
    }

    private void fold() {
        if (scale != 1) {
            accumulated.muli(scale);
            scale = 1;
        }
    }

    /**
     * Continues from saved moments (a model snapshot): V, the mean and the weight they carry, so
     * a restarted learner keeps its statistics instead of starting from zero.
     *
     * @param savedSecondMoment V, N x N (any float type); copied
     * @param savedMean         mean, N entries (any float type); copied
     * @param savedWeight       total weight w behind them, &gt;= 0
     */
    public void restore(INDArray savedSecondMoment, INDArray savedMean, double savedWeight) {
        if (savedSecondMoment.length() != (long) size * size || savedMean.length() != size || !(savedWeight >= 0)) {
            throw new IllegalArgumentException("Saved moments do not match " + size + " atoms (V "
                    + Arrays.toString(savedSecondMoment.shape()) + ", mean "
                    + Arrays.toString(savedMean.shape()) + ", weight " + savedWeight + ")");
        }
        accumulated.assign(savedSecondMoment.reshape(size, size));
        scale = 1;
        mean.assign(savedMean.reshape(size, 1));
        weight = savedWeight;
    }

    /**
     * V = E[alpha alpha^T], N x N DOUBLE; zero before the first update. Live until the next update
     * (do not modify): reading it folds the lazy scale in, an N x N pass.
     */
    public INDArray secondMoment() {
        fold();
        return accumulated;
    }

    /**
     * The weighted sum w V of alpha alpha^T, a new N x N DOUBLE matrix: A A^T over everything seen
     * when forgetting is 1. Fed with second differences ({@link CodeHistory}) this is
     * S = A D D^T A^T of eq. 3.3.
     */
    public INDArray sum() {
        return secondMoment().mul(weight);
    }

    /** &lt;alpha&gt;, N x 1 DOUBLE, live (do not modify). */
    public INDArray mean() {
        return mean;
    }

    /** The centred covariance V - mean mean^T, a new N x N DOUBLE matrix. */
    public INDArray covariance() {
        return covariance(secondMoment(), mean);
    }

    /**
     * V - mean mean^T of saved moments (e.g. a model version's), a new N x N DOUBLE matrix.
     *
     * @param secondMoment V, N x N (any float type); not modified
     * @param mean         N entries (any float type); not modified
     */
    public static INDArray covariance(INDArray secondMoment, INDArray mean) {
        INDArray c = secondMoment.castTo(DataType.DOUBLE).dup('f');
        INDArray m = mean.castTo(DataType.DOUBLE).reshape(mean.length(), 1);
        Nd4j.gemm(m, m, c, false, true, -1.0, 1.0);
        return c;
    }

    /** Total weight w of the columns seen (= the column count when forgetting is 1). */
    public double weight() {
        return weight;
    }

    /** Columns seen (unweighted). */
    public long columns() {
        return columns;
    }

    /** Batches seen. */
    public long updates() {
        return updates;
    }

    public int size() {
        return size;
    }

    public double forgetting() {
        return forgetting;
    }
}
