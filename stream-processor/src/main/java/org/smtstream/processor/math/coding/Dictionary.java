package org.smtstream.processor.math.coding;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.FloatMatrix;
import org.smtstream.processor.math.linalg.Matrices;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * The dictionary Phi (n x N, one unit-norm atom per column) with its version, the number of
 * learning updates it has absorbed. Derived quantities (the Lipschitz constant ||Phi||_2^2 of the
 * sparse coder) are cached against (dictionary, version), so whoever changes {@link #phi()} in place
 * must call {@link #advanceVersion()}; only {@link DictionaryLearner} does.
 *
 * <p>Phi is stored column-major ('f'): each atom is contiguous, which is what renormalizing and
 * re-seeding touch, and BLAS reads it without a transpose copy either way.
 */
public final class Dictionary {

    private final INDArray phi;
    private long version;

    private Dictionary(INDArray phi, long version) {
        this.phi = phi;
        this.version = version;
    }

    /**
     * Random unit-norm atoms: i.i.d. Gaussian columns normalized to length 1 (uniform on the sphere).
     *
     * @param atomDim n, the patch dimension
     * @param size    N, the number of atoms
     * @param seed    seed of the Gaussian draws; the same seed gives the same dictionary
     */
    public static Dictionary random(int atomDim, int size, long seed) {
        if (atomDim < 1 || size < 1) {
            throw new IllegalArgumentException("Invalid dictionary shape: " + atomDim + " x " + size);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[atomDim * size];
        for (int j = 0; j < size; j++) {
            double squared = 0;
            for (int k = 0; k < atomDim; k++) {
                double g = gaussian(random);
                values[j * atomDim + k] = (float) g;
                squared += g * g;
            }
            float scale = (float) (1.0 / Math.sqrt(squared));
            for (int k = 0; k < atomDim; k++) {
                values[j * atomDim + k] *= scale;
            }
        }
        Nd4jRuntime.useFloatByDefault();
        return new Dictionary(Nd4j.create(values, new long[] {atomDim, size}, 'f'), 0);
    }

    /**
     * Wraps a copy of {@code phi} (n x N) as version {@code version}. The columns are used as given:
     * the sparse coder is correct for any Phi, but the model assumes unit-norm atoms.
     */
    public static Dictionary of(INDArray phi, long version) {
        if (phi.rank() != 2) {
            throw new IllegalArgumentException("Phi must be a matrix, got shape " + Arrays.toString(phi.shape()));
        }
        if (version < 0) {
            throw new IllegalArgumentException("Invalid dictionary version: " + version);
        }
        Nd4jRuntime.useFloatByDefault();
        INDArray copy = Nd4j.createUninitialized(DataType.FLOAT, phi.shape(), 'f');
        copy.assign(phi.castTo(DataType.FLOAT));
        return new Dictionary(copy, version);
    }

    /** A dictionary from the model-store exchange type (row-major n x N). */
    public static Dictionary fromMatrix(FloatMatrix phi, long version) {
        Nd4jRuntime.useFloatByDefault();
        return of(Matrices.of(phi), version);
    }

    /** A row-major copy of Phi, for model snapshots and the wire. */
    public FloatMatrix toMatrix() {
        return new FloatMatrix(atomDim(), size(), phi.dup('c').data().asFloat());
    }

    /** Phi, n x N, live: do not modify (see the class comment). */
    public INDArray phi() {
        return phi;
    }

    /** Number of learning updates this dictionary has absorbed; 0 for a fresh one. */
    public long version() {
        return version;
    }

    /** n, the dimension of a patch and of an atom. */
    public int atomDim() {
        return phi.rows();
    }

    /** N, the number of atoms. */
    public int size() {
        return phi.columns();
    }

    /** Marks an in-place change of Phi, which invalidates cached derived quantities. */
    void advanceVersion() {
        version++;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
