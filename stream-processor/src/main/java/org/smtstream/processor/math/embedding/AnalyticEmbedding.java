package org.smtstream.processor.math.embedding;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.processor.math.linalg.SymmetricEigen;

/**
 * The analytic embedding of thesis eq. 3.3:
 * <pre>
 *   min_P ||P A D||_F^2 = tr(P S P^T)   subject to  P V P^T = I,     S = A D D^T A^T
 *   P = U^T V^{-1/2}   (f x N),   U = the f trailing eigenvectors of V^{-1/2} S V^{-1/2}
 * </pre>
 * (the thesis writes P = V^{-1/2} U with P as N x f; this is its transpose, one row per functional).
 * The generalized problem S u = l V u is reduced to a standard symmetric one here, not by ND4J's
 * generalized eigen solvers (ARCHITECTURE.md, trap T4): V^{-1/2} = Q diag(1/sqrt(l)) Q^T from its own
 * decomposition, then one {@link SymmetricEigen} of the symmetrized V^{-1/2} S V^{-1/2}, all in
 * DOUBLE. Cost: two N x N eigen-decompositions and four N^3 GEMMs (stream-processor/BENCHMARKS.md
 * has the measured refit).
 *
 * <p>Regularization: V is replaced by V + ridge * (tr(V) / N) I, a ridge relative to V's mean
 * eigenvalue, so atoms that were (almost) never active get a bounded column p_j instead of one of size
 * 1/sqrt(l_min). The constraint that holds exactly is therefore P V_reg P^T = I, and P V P^T = I
 * only up to ridge-sized terms (see {@link Fit#regularizedV()}).
 *
 * <p>The constant functional: the thesis keeps all f trailing eigenvectors, p'_1 to p'_f, including
 * the first, which on the unit disc is (close to) constant (its Figure 3.2A; classical manifold
 * learning would drop it and keep the 2nd to (d+1)th). {@link Options#skipTrailing()} drops that many
 * of the smallest eigen-directions for callers who want the classical choice; the default is 0.
 *
 * <p>The sign of each eigenvector is arbitrary; rows are oriented so that their entry of largest
 * magnitude is positive, which makes the result deterministic.
 */
public final class AnalyticEmbedding {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticEmbedding.class);

    /** Eigenvalues of V_reg below this fraction of the largest are floored in V^{-1/2} (rounding only). */
    static final double EIGEN_FLOOR = 1e-12;

    private AnalyticEmbedding() {
    }

    /**
     * @param ridge        relative ridge on V: V + ridge tr(V)/N I, &gt;= 0 (e.g. 1e-6 .. 1e-3)
     * @param skipTrailing smallest eigen-directions to leave out before taking f, &gt;= 0 (0: thesis)
     */
    public record Options(double ridge, int skipTrailing) {
        public Options {
            if (!(ridge >= 0) || !Double.isFinite(ridge)) {
                throw new IllegalArgumentException("Invalid ridge: " + ridge);
            }
            if (skipTrailing < 0) {
                throw new IllegalArgumentException("Invalid skipTrailing: " + skipTrailing);
            }
        }

        /** Ridge 1e-6, all trailing directions kept. */
        public static Options defaults() {
            return new Options(1e-6, 0);
        }
    }

    /**
     * The analytic solution.
     *
     * @param p            P, f x N DOUBLE
     * @param eigenvalues  the f eigenvalues of V^{-1/2} S V^{-1/2} that P keeps, ascending: the objective
     *                     of each row, tr(p'_i S p_i'^T)
     * @param objective    tr(P S P^T) = their sum, in S's units
     * @param regularizedV V_reg = V + ridge tr(V)/N I, N x N DOUBLE: P V_reg P^T = I
     * @param largestEigenvalue the largest eigenvalue of V_reg^{-1/2} S V_reg^{-1/2}: the online SGD of
     *                     appendix A.1 on the same S is stable for 2 gamma0 eta times this below 1
     *                     ({@link OnlineEmbedding})
     */
    public record Fit(INDArray p, double[] eigenvalues, double objective, INDArray regularizedV,
                      double largestEigenvalue) {
    }

    /**
     * Solves eq. 3.3.
     *
     * @param v       V, N x N symmetric positive semi-definite (any dtype; not modified)
     * @param s       S = A D D^T A^T, N x N (a sum or a mean over difference columns: the solution is
     *                the same, the objective is in S's units; not modified)
     * @param f       rows of P, 1 &lt;= f &lt;= N - skipTrailing
     * @param options ridge and skipped directions
     */
    public static Fit fit(INDArray v, INDArray s, int f, Options options) {
        SymmetricEigen.requireSquare("V", v);
        SymmetricEigen.requireSquare("S", s);
        int n = v.rows();
        if (s.rows() != n) {
            throw new IllegalArgumentException("V is " + n + " x " + n + " but S is " + s.rows() + " x " + s.columns());
        }
        if (f < 1 || f + options.skipTrailing() > n) {
            throw new IllegalArgumentException("Invalid embedding dimension " + f + " (skipping "
                    + options.skipTrailing() + ") for N = " + n);
        }
        INDArray vReg = regularize(v, options.ridge());
        return fit(vReg, SymmetricEigen.of(vReg), s, f, options.skipTrailing());
    }

    /**
     * Solves eq. 3.3 with V already regularized and decomposed, for a caller that keeps V_reg's
     * decomposition for other uses (the online embedding's V_reg^{-1}), so it is computed once.
     *
     * @param vReg         V_reg, N x N DOUBLE
     * @param vRegEigen    {@code SymmetricEigen.of(vReg)}
     * @param s            S, N x N (not modified)
     * @param f            rows of P
     * @param skipTrailing smallest eigen-directions to leave out
     */
    static Fit fit(INDArray vReg, SymmetricEigen.Decomposition vRegEigen, INDArray s, int f, int skipTrailing) {
        int n = vReg.rows();
        if (!(vRegEigen.max() > 0)) {
            throw new IllegalArgumentException("Largest eigenvalue " + vRegEigen.max() + " of V is not positive");
        }
        double floor = EIGEN_FLOOR * vRegEigen.max();
        INDArray vInvSqrt = vRegEigen.apply(l -> 1.0 / Math.sqrt(Math.max(l, floor)));
        INDArray sd = SymmetricEigen.symmetrizedCopy(s);
        INDArray tmp = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        INDArray m = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        Nd4j.gemm(vInvSqrt, sd, tmp, false, false, 1.0, 0.0);
        Nd4j.gemm(tmp, vInvSqrt, m, false, false, 1.0, 0.0);                     // V^-1/2 S V^-1/2
        SymmetricEigen.Decomposition eigen = SymmetricEigen.of(m);
        int from = skipTrailing;
        INDArray u = eigen.vectors().get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + f)).dup('f');
        INDArray p = Nd4j.create(DataType.DOUBLE, new long[] {f, n}, 'f');
        Nd4j.gemm(u, vInvSqrt, p, true, false, 1.0, 0.0);                        // U^T V^-1/2
        orientRows(p);
        double[] kept = Arrays.copyOfRange(eigen.valuesArray(), from, from + f);
        double objective = objective(p, sd);
        LOG.debug("Analytic embedding N={} f={}: eigenvalues {} .. {}, objective {}",
                n, f, kept[0], kept[f - 1], objective);
        return new Fit(p, kept, objective, vReg, eigen.max());
    }

    /** V + ridge * (tr(V) / N) I, a new N x N DOUBLE matrix. */
    public static INDArray regularize(INDArray v, double ridge) {
        SymmetricEigen.requireSquare("V", v);
        INDArray out = Nd4j.create(DataType.DOUBLE, v.shape(), 'f');
        out.assign(v);
        int n = v.rows();
        double trace = Nd4j.diag(out).sumNumber().doubleValue();
        if (!(trace > 0) || !Double.isFinite(trace)) {
            throw new IllegalArgumentException("V has trace " + trace + ": no activity recorded, or not finite");
        }
        double shift = ridge * trace / n;
        if (shift > 0) {
            out.addi(Nd4j.eye(n).castTo(DataType.DOUBLE).muli(shift));
        }
        return out;
    }

    /** tr(P S P^T) in DOUBLE. P: f x N, S: N x N. */
    public static double objective(INDArray p, INDArray s) {
        INDArray pd = p.castTo(DataType.DOUBLE);
        INDArray ps = pd.mmul(s.castTo(DataType.DOUBLE));
        return ps.mul(pd).sumNumber().doubleValue();                               // sum_ij (PS)_ij P_ij
    }

    /**
     * (R V R^T)^{-1/2} R in DOUBLE: the symmetric ("parallel") orthonormalization that maps any
     * full-rank R (f x N) onto the constraint P V P^T = I, step (3) of appendix A.1. The f x f
     * decomposition floors eigenvalues at {@link #EIGEN_FLOOR} of the largest.
     *
     * @param r f x N, any dtype; not modified
     * @param v N x N symmetric positive definite
     * @return a new f x N DOUBLE matrix
     */
    public static INDArray orthonormalize(INDArray r, INDArray v) {
        INDArray rd = r.castTo(DataType.DOUBLE);
        INDArray gram = rd.mmul(v.castTo(DataType.DOUBLE)).mmul(rd.transpose());  // R V R^T, f x f
        INDArray k = SymmetricEigen.inverseSqrt(gram, EIGEN_FLOOR);
        INDArray out = Nd4j.create(DataType.DOUBLE, r.shape(), 'f');
        Nd4j.gemm(k, rd.dup('f'), out, false, false, 1.0, 0.0);
        return out;
    }

    /**
     * P turned to a reference: Q P with the orthogonal f x f matrix Q that minimizes
     * tr((Q P - R) V (Q P - R)^T), the mean squared distance E||Q P alpha - R alpha||^2 between the two
     * betas when V = E[alpha alpha^T] (orthogonal Procrustes). Eq. 3.3 fixes its solution only up to
     * such a Q: Q P V P^T Q^T = I and tr(Q P S P^T Q^T) = tr(P S P^T), so Q P is as feasible and as good
     * as P, and a new solution turned to the previous one keeps beta = P alpha where it was, up to what
     * the moments changed. For M = P V R^T = U Sigma W^T, Q = W U^T, computed as the polar factor
     * M^T (M M^T)^{-1/2}; the result is orthonormalized against V again, which only matters where M is
     * singular (a reference orthogonal in V to some of P's rows) and the floored inverse square root
     * leaves Q short of orthogonal.
     *
     * @param p         f x N, feasible under {@code v}; not modified
     * @param reference R, f x N; not modified
     * @param v         V_reg, N x N
     * @return a new f x N DOUBLE matrix
     */
    public static INDArray alignTo(INDArray p, INDArray reference, INDArray v) {
        if (!Arrays.equals(p.shape(), reference.shape())) {
            throw new IllegalArgumentException("P has shape " + Arrays.toString(p.shape()) + " but the reference "
                    + Arrays.toString(reference.shape()));
        }
        INDArray pd = p.castTo(DataType.DOUBLE);
        INDArray vd = v.castTo(DataType.DOUBLE);
        INDArray m = pd.mmul(vd).mmul(reference.castTo(DataType.DOUBLE).transpose());   // f x f
        INDArray q = m.transpose().mmul(SymmetricEigen.inverseSqrt(m.mmul(m.transpose()), EIGEN_FLOOR));
        return orthonormalize(q.mmul(pd), vd);
    }

    /** max_ij |(P V P^T - I)_ij| in DOUBLE: how far P is from the constraint. */
    public static double constraintResidual(INDArray p, INDArray v) {
        INDArray pd = p.castTo(DataType.DOUBLE);
        INDArray gram = pd.mmul(v.castTo(DataType.DOUBLE)).mmul(pd.transpose());
        gram.subi(Nd4j.eye(gram.rows()).castTo(DataType.DOUBLE));
        return gram.amaxNumber().doubleValue();
    }

    /** Flips each row so that its entry of largest magnitude is positive (in place). */
    static void orientRows(INDArray p) {
        INDArray maxima = p.max(1).reshape(p.rows(), 1);
        INDArray minima = p.min(1).reshape(p.rows(), 1);
        // sign = +1 where max >= -min, else -1
        INDArray sign = maxima.add(minima).gte(0).castTo(DataType.DOUBLE).muli(2).subi(1);
        p.muliColumnVector(sign);
    }
}
