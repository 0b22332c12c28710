package org.smtstream.processor.math.embedding;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.processor.math.linalg.Blas1;
import org.smtstream.processor.math.linalg.Nd4jRuntime;
import org.smtstream.processor.math.linalg.Scratch;
import org.smtstream.processor.math.linalg.SymmetricEigen;

/**
 * Online SGD for the embedding, thesis appendix A.1:
 * <pre>
 *   min_P  gamma0 E||P d||^2 + gamma1 ||P W||_1   subject to  P V P^T = I
 *   d: a second-difference column of A D,  W = diag(&lt;alpha&gt;),  ||.||_1 the entrywise L1,1 norm
 * </pre>
 * one mini-batch of B' difference columns (N x B', the columns of A D) per step:
 * <ol>
 *   <li>whitened gradient step: P &lt;- P - 2 gamma0 eta P (A D)(A D)^T V^{-1} / B'</li>
 *   <li>shrinkage: P_ij &lt;- sign(P_ij) max(|P_ij| - eta gamma1 &lt;alpha_j&gt;, 0)</li>
 *   <li>parallel orthogonalization: P &lt;- (P V P^T)^{-1/2} P</li>
 * </ol>
 * Differences from the appendix's text, all scalings: the gradient is the mini-batch MEAN (the
 * appendix's P A D D^T A^T is a sum, so its eta equals this eta / B'), which keeps eta independent of
 * the number of locations per frame; and the shrinkage is the proximal step of gamma1 ||P W||_1 for
 * step eta (threshold eta gamma1 &lt;alpha_j&gt;; the appendix writes gamma1 &lt;alpha_j&gt; with eta
 * folded into gamma1). With gamma1 = 0 the fixed points are the analytic solution's subspace: in
 * whitened coordinates Q = P V^{1/2}, step 1 is Q &lt;- Q (I - 2 gamma0 eta M), M = V^{-1/2} S V^{-1/2},
 * so steps 1 + 3 are a (stochastic) subspace iteration towards M's trailing eigenvectors. It is
 * stable for 2 gamma0 eta lambda_max(M) &lt; 1 ({@link AnalyticEmbedding.Fit#largestEigenvalue()};
 * for stationary codes lambda_max(M) &lt;= 4, since (x - y/2 - z/2)^2 &lt;= 2 (x^2 + y^2/2 + z^2/2), so
 * eta = 1 / (8 gamma0) is safe without knowing S), and it converges slowly: the error along an
 * eigen-direction l decays like (1 - 2 gamma0 eta l)^steps relative to the kept ones, and the kept
 * eigenvalues are small next to lambda_max, so thousands of steps are needed (see OnlineEmbeddingTest
 * for measured ratios).
 *
 * <p>V is the constraint matrix given to {@link #setConstraint} (typically
 * {@link RunningMoments#secondMoment()}, refreshed every so many steps: V^{-1} costs an N x N
 * eigen-decomposition), regularized like {@link AnalyticEmbedding} (ridge relative to tr(V)/N).
 * Everything is DOUBLE; {@link #publish} copies P into a FLOAT {@link Embedding} for inference. A step
 * that produces NaN or Inf is rejected and P kept.
 *
 * <p>Not thread-safe (ARCHITECTURE.md, trap T2).
 */
public final class OnlineEmbedding {

    private static final Logger LOG = LoggerFactory.getLogger(OnlineEmbedding.class);
    private static final String WORKSPACE = "smt-online-embedding";

    /**
     * @param gamma0 weight of the straightness term, &gt; 0
     * @param gamma1 weight of the sparsity term on P, &gt;= 0
     * @param rate   eta_P, &gt; 0
     * @param ridge  relative ridge on V, &gt;= 0 (as in {@link AnalyticEmbedding.Options})
     */
    public record Options(double gamma0, double gamma1, double rate, double ridge) {
        public Options {
            if (!(gamma0 > 0) || !Double.isFinite(gamma0)) {
                throw new IllegalArgumentException("Invalid gamma0: " + gamma0);
            }
            if (!(gamma1 >= 0) || !Double.isFinite(gamma1)) {
                throw new IllegalArgumentException("Invalid gamma1: " + gamma1);
            }
            if (!(rate > 0) || !Double.isFinite(rate)) {
                throw new IllegalArgumentException("Invalid embedding rate: " + rate);
            }
            if (!(ridge >= 0) || !Double.isFinite(ridge)) {
                throw new IllegalArgumentException("Invalid ridge: " + ridge);
            }
        }
    }

    /**
     * Outcome of one step.
     *
     * @param accepted       false when the step produced NaN/Inf and P was kept
     * @param batchObjective gamma0 ||P A D||^2 / B' + gamma1 ||P W||_1 on this batch, at P before the step
     *                       (the L1 term only when the mean activity was given)
     */
    public record Step(boolean accepted, double batchObjective) {
    }

    private final Options options;
    private final int dimension;
    private final int size;
    private final INDArray p;          // f x N DOUBLE
    private final INDArray backup;     // f x N DOUBLE
    private final INDArray update;     // f x N DOUBLE: P (AD)(AD)^T / B', then times V^-1
    private final INDArray scratch;    // f x N DOUBLE
    private INDArray v;                // V_reg, N x N DOUBLE
    private INDArray vInverse;         // V_reg^-1, N x N DOUBLE
    private SymmetricEigen.Decomposition vEigen;   // of V_reg, kept for refit
    private INDArray differences;      // N x B' DOUBLE
    private INDArray projected;        // P (AD), f x B' DOUBLE
    private long steps;

    /**
     * @param initial P_0, f x N (any dtype; copied and orthonormalized against V)
     * @param v       V, N x N
     * @param options gamma0, gamma1, eta, ridge
     */
    public OnlineEmbedding(INDArray initial, INDArray v, Options options) {
        if (initial.rank() != 2 || initial.rows() < 1 || initial.rows() > initial.columns()) {
            throw new IllegalArgumentException("Initial P has shape " + Arrays.toString(initial.shape())
                    + ", expected f x N with 1 <= f <= N");
        }
        Nd4jRuntime.useFloatByDefault();
        this.options = options;
        this.dimension = initial.rows();
        this.size = initial.columns();
        this.p = Nd4j.create(DataType.DOUBLE, new long[] {dimension, size}, 'f');
        this.backup = Nd4j.create(DataType.DOUBLE, new long[] {dimension, size}, 'f');
        this.update = Nd4j.create(DataType.DOUBLE, new long[] {dimension, size}, 'f');
        this.scratch = Nd4j.create(DataType.DOUBLE, new long[] {dimension, size}, 'f');
        p.assign(initial);
        setConstraint(v);
    }

    /**
     * A random feasible start: R with i.i.d. N(0,1) entries (seeded), then (R V_reg R^T)^{-1/2} R.
     *
     * @param f    rows
     * @param v    V, N x N
     * @param ridge relative ridge applied to V first
     * @param seed seed of R
     * @return f x N DOUBLE with P V_reg P^T = I
     */
    public static INDArray randomFeasible(int f, INDArray v, double ridge, long seed) {
        int n = v.rows();
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[f * n];
        for (int k = 0; k < values.length; k++) {
            double u = 1.0 - random.nextDouble();
            values[k] = Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * random.nextDouble());
        }
        INDArray r = Nd4j.create(values, new long[] {f, n}, 'c').castTo(DataType.DOUBLE);
        return AnalyticEmbedding.orthonormalize(r, AnalyticEmbedding.regularize(v, ridge));
    }

    /**
     * Sets (or refreshes) V: stores V_reg and V_reg^{-1} (an N x N eigen-decomposition) and
     * re-orthonormalizes P against it, so P V_reg P^T = I holds again at once.
     *
     * @param secondMoment V, N x N (any dtype; copied)
     */
    public void setConstraint(INDArray secondMoment) {
        if (secondMoment.rank() != 2 || secondMoment.rows() != size || secondMoment.columns() != size) {
            throw new IllegalArgumentException("V has shape " + Arrays.toString(secondMoment.shape())
                    + ", expected [" + size + ", " + size + "]");
        }
        INDArray vReg = AnalyticEmbedding.regularize(secondMoment, options.ridge());
        SymmetricEigen.Decomposition eigen = SymmetricEigen.of(vReg);
        double floor = AnalyticEmbedding.EIGEN_FLOOR * eigen.max();
        this.vInverse = eigen.apply(l -> 1.0 / Math.max(l, floor));
        this.vEigen = eigen;
        this.v = vReg;
        p.assign(AnalyticEmbedding.orthonormalize(p, v));
    }

    /**
     * Replaces P by the exact solution of eq. 3.3 on {@code s} under the current constraint V_reg
     * ({@link AnalyticEmbedding#fit}), reusing V_reg's decomposition from {@link #setConstraint}: the
     * solve then costs one more N x N decomposition instead of two. The solution is turned to the P it
     * replaces ({@link AnalyticEmbedding#alignTo}): eq. 3.3 defines it only up to an orthogonal turn,
     * and an unturned one would make beta = P alpha jump at every refit although nothing in the scene
     * did. The steps continue from it.
     *
     * @param s S = E[d d^T], N x N (not modified)
     * @return the solver's solution, before the turn (its objective and eigenvalues are the new P's)
     */
    public AnalyticEmbedding.Fit refit(INDArray s) {
        AnalyticEmbedding.Fit fit = AnalyticEmbedding.fit(v, vEigen, s, dimension, 0);
        p.assign(AnalyticEmbedding.alignTo(fit.p(), p, v));
        return fit;
    }

    /**
     * One step of appendix A.1 on a mini-batch.
     *
     * @param batchDifferences the columns of A D for this batch, N x B' (FLOAT or DOUBLE)
     * @param meanActivity     &lt;alpha&gt;, N x 1 (e.g. {@link RunningMoments#mean()}); may be null
     *                         when gamma1 = 0
     */
    public Step step(INDArray batchDifferences, INDArray meanActivity) {
        if (batchDifferences.rank() != 2 || batchDifferences.rows() != size || batchDifferences.columns() < 1) {
            throw new IllegalArgumentException("Differences have shape " + Arrays.toString(batchDifferences.shape())
                    + ", expected [" + size + ", B]");
        }
        if (options.gamma1() > 0 && (meanActivity == null || meanActivity.length() != size)) {
            throw new IllegalArgumentException("gamma1 > 0 needs the mean activity <alpha> with " + size + " entries");
        }
        int batch = batchDifferences.columns();
        if (differences == null || differences.columns() != batch) {
            differences = Nd4j.create(DataType.DOUBLE, new long[] {size, batch}, 'f');
            projected = Nd4j.create(DataType.DOUBLE, new long[] {dimension, batch}, 'f');
        }
        differences.assign(batchDifferences);
        backup.assign(p);
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {   // the step's temporaries (ARCHITECTURE.md, trap T1)
            return stepInPlace(batch, meanActivity);
        }
    }

    private Step stepInPlace(int batch, INDArray meanActivity) {

        // (1) P -= 2 gamma0 eta [P (AD)(AD)^T / B'] V^-1: three GEMMs, the N x N S of the batch is never formed
        Nd4j.gemm(p, differences, projected, false, false, 1.0, 0.0);              // P (AD), f x B'
        double smooth = Blas1.dot(projected, projected) / batch;                    // ||P AD||^2 / B'
        Nd4j.gemm(projected, differences, update, false, true, 1.0 / batch, 0.0);  // P (AD)(AD)^T / B'
        Nd4j.gemm(update, vInverse, p, false, false, -2.0 * options.gamma0() * options.rate(), 1.0);

        double l1 = 0;
        if (meanActivity != null) {
            INDArray mean = meanActivity.castTo(DataType.DOUBLE).reshape(1, size);
            l1 = Transforms.abs(backup, true).mulRowVector(mean).sumNumber().doubleValue();
            if (options.gamma1() > 0) {
                // (2) shrink column j toward 0 by eta gamma1 <alpha_j>: sign(P) [|P| - t_j]_+
                INDArray sign = Transforms.sign(p, true);
                Transforms.abs(p, false).subiRowVector(mean.mul(options.rate() * options.gamma1()));
                Transforms.relu(p, false).muli(sign);
            }
        }
        // (3) P <- (P V P^T)^{-1/2} P
        Nd4j.gemm(p, v, scratch, false, false, 1.0, 0.0);                          // P V
        INDArray gram = Nd4j.create(DataType.DOUBLE, new long[] {dimension, dimension}, 'f');
        Nd4j.gemm(scratch, p, gram, false, true, 1.0, 0.0);                        // P V P^T
        double objective = options.gamma0() * smooth + options.gamma1() * l1;
        boolean finite = Double.isFinite(gram.sumNumber().doubleValue());
        if (finite) {
            INDArray k = SymmetricEigen.inverseSqrt(gram, AnalyticEmbedding.EIGEN_FLOOR);
            scratch.assign(p);
            Nd4j.gemm(k, scratch, p, false, false, 1.0, 0.0);
            finite = Double.isFinite(p.sumNumber().doubleValue());
        }
        if (!finite) {
            p.assign(backup);
            LOG.warn("Rejected embedding step {}: NaN or infinite P (rate {} too large, or bad input?)",
                    steps, options.rate());
            return new Step(false, objective);
        }
        steps++;
        return new Step(true, objective);
    }

    /** max_ij |(P V_reg P^T - I)_ij| at the current P (two GEMMs, f N^2 flops: not done per step). */
    public double constraintResidual() {
        return AnalyticEmbedding.constraintResidual(p, v);
    }

    /**
     * gamma0 tr(P S P^T) + gamma1 sum_ij |P_ij| &lt;alpha_j&gt;, in DOUBLE, at the current P.
     *
     * @param s            S (N x N) in the units to report (a mean E[d d^T] matches {@link Step#batchObjective})
     * @param meanActivity &lt;alpha&gt;, N x 1, or null to leave out the L1 term
     */
    public double objective(INDArray s, INDArray meanActivity) {
        double value = options.gamma0() * AnalyticEmbedding.objective(p, s);
        if (meanActivity != null) {
            value += options.gamma1() * Transforms.abs(p, true)
                    .mulRowVector(meanActivity.castTo(DataType.DOUBLE).reshape(1, size)).sumNumber().doubleValue();
        }
        return value;
    }

    /**
     * The Euclidean gradient of the batch's smooth term gamma0 ||P A D||^2 / B' with respect to P,
     * 2 gamma0 P (AD)(AD)^T / B', with the GEMMs of {@link #step} (f x N DOUBLE, new array).
     * {@link #step} moves along this times V^{-1} (the whitened gradient).
     */
    public INDArray gradient(INDArray batchDifferences) {
        INDArray d = batchDifferences.castTo(DataType.DOUBLE).dup('f');
        INDArray proj = Nd4j.create(DataType.DOUBLE, new long[] {dimension, d.columns()}, 'f');
        Nd4j.gemm(p, d, proj, false, false, 1.0, 0.0);
        INDArray out = Nd4j.create(DataType.DOUBLE, new long[] {dimension, size}, 'f');
        Nd4j.gemm(proj, d, out, false, true, 2.0 * options.gamma0() / d.columns(), 0.0);
        return out;
    }

    /** The whitened gradient {@link #gradient} V_reg^{-1}, the direction of step (1) (new array). */
    public INDArray whitenedGradient(INDArray batchDifferences) {
        return gradient(batchDifferences).mmul(vInverse);
    }

    /** Copies P into {@code target} (FLOAT, advancing its version). */
    public Embedding publish(Embedding target) {
        target.set(p);
        return target;
    }

    /** A new FLOAT embedding holding P, version = steps taken. */
    public Embedding toEmbedding() {
        return Embedding.of(p, steps);
    }

    /** P, f x N DOUBLE, live: do not modify. */
    public INDArray p() {
        return p;
    }

    /** V_reg, N x N DOUBLE, live: the matrix of the constraint P V_reg P^T = I. */
    public INDArray constraint() {
        return v;
    }

    public Options options() {
        return options;
    }

    /** Accepted steps so far. */
    public long steps() {
        return steps;
    }
}
