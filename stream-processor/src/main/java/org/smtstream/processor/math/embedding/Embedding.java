package org.smtstream.processor.math.embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.FloatMatrix;
import org.smtstream.processor.math.linalg.Matrices;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * The embedding P (f x N: one row per functional p'_i, one column p_j per atom) with its version,
 * for inference: beta = P alpha (thesis sec. 3.2), the inverse g(beta) (eq. 3.1) and the manifold
 * term of eq. 3.4. Stored FLOAT and column-major like {@link Dictionary}; learners work in DOUBLE
 * ({@link AnalyticEmbedding}, {@link OnlineEmbedding}) and publish here. Derived quantities cached by
 * consumers are keyed on (embedding, version), so whoever changes P must go through
 * {@link #set(INDArray)}, which advances the version.
 */
public final class Embedding {

    private final INDArray p;
    private long version;

    private Embedding(INDArray p, long version) {
        this.p = p;
        this.version = version;
    }

    /**
     * Wraps a FLOAT copy of {@code p} as version {@code version}.
     *
     * @param p f x N, any dtype
     */
    public static Embedding of(INDArray p, long version) {
        if (p.rank() != 2 || p.rows() < 1 || p.columns() < 1) {
            throw new IllegalArgumentException("P must be a non-empty matrix, got shape " + Arrays.toString(p.shape()));
        }
        if (version < 0) {
            throw new IllegalArgumentException("Invalid embedding version: " + version);
        }
        Nd4jRuntime.useFloatByDefault();
        INDArray copy = Nd4j.createUninitialized(DataType.FLOAT, p.shape(), 'f');
        copy.assign(p);
        requireFinite(copy);
        return new Embedding(copy, version);
    }

    /** An embedding from the model-store exchange type (row-major f x N). */
    public static Embedding fromMatrix(FloatMatrix p, long version) {
        Nd4jRuntime.useFloatByDefault();
        return of(Matrices.of(p), version);
    }

    /** A row-major copy of P, for model snapshots and the wire. */
    public FloatMatrix toMatrix() {
        return new FloatMatrix(dimension(), size(), p.dup('c').data().asFloat());
    }

    /** P, f x N FLOAT, live: do not modify (use {@link #set}). */
    public INDArray p() {
        return p;
    }

    /** f, the embedding dimension (rows of P). */
    public int dimension() {
        return p.rows();
    }

    /** N, the number of atoms (columns of P). */
    public int size() {
        return p.columns();
    }

    /** Number of updates; 0 for a fresh embedding. */
    public long version() {
        return version;
    }

    /**
     * Replaces P by {@code next} (f x N, any dtype) and advances the version. Rejects (and keeps the
     * old P) when {@code next} has the wrong shape or non-finite entries.
     */
    public void set(INDArray next) {
        if (!Arrays.equals(next.shape(), p.shape())) {
            throw new IllegalArgumentException("New P has shape " + Arrays.toString(next.shape()) + ", expected "
                    + Arrays.toString(p.shape()));
        }
        if (!Double.isFinite(next.castTo(DataType.DOUBLE).sumNumber().doubleValue())) {
            throw new ArithmeticException("New P has NaN or infinite entries; version " + version + " kept");
        }
        p.assign(next);
        version++;
    }

    /**
     * beta = P alpha for a batch (one GEMM).
     *
     * @param codes A, N x B FLOAT
     * @param out   f x B FLOAT, overwritten
     * @return out
     */
    public INDArray embed(INDArray codes, INDArray out) {
        if (codes.rows() != size() || out.rows() != dimension() || out.columns() != codes.columns()) {
            throw new IllegalArgumentException("Shapes do not match: P " + Arrays.toString(p.shape()) + ", codes "
                    + Arrays.toString(codes.shape()) + ", out " + Arrays.toString(out.shape()));
        }
        return Nd4j.gemm(p, codes, out, false, false, 1.0, 0.0);
    }

    /** beta = P alpha for each batch of a sequence (N x B_t FLOAT each), into new f x B_t FLOAT arrays. */
    public List<INDArray> embedAll(List<INDArray> codes) {
        List<INDArray> out = new ArrayList<>(codes.size());
        for (INDArray a : codes) {
            out.add(embed(a, Nd4j.create(DataType.FLOAT, new long[] {dimension(), a.columns()}, 'f')));
        }
        return out;
    }

    /** z = [||p_1||_2, ..., ||p_N||_2] (eq. 3.1), a new N x 1 DOUBLE vector. */
    public INDArray columnNorms() {
        return p.castTo(DataType.DOUBLE).norm2(0).reshape(size(), 1);
    }

    private static void requireFinite(INDArray a) {
        if (!Double.isFinite(a.castTo(DataType.DOUBLE).sumNumber().doubleValue())) {
            throw new ArithmeticException("P has NaN or infinite entries");
        }
    }
}
