package org.smtstream.processor.math.coding;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.processor.math.linalg.Scratch;

/**
 * Online dictionary learning by projected stochastic gradient descent on the reconstruction error,
 * one mini-batch (one frame's patches) per step:
 * <pre>
 *   Phi &lt;- Phi + eta (X - Phi A) A^T / B          gradient step on 1/(2B) ||X - Phi A||_F^2
 *   phi_j &lt;- phi_j / ||phi_j||                    back onto unit-norm atoms
 * </pre>
 * X is n x B, A the N x B codes of X under the current Phi. The unit-norm constraint is what keeps
 * the l1 penalty meaningful: without it Phi could grow and A shrink at no cost.
 *
 * <p>Dead atoms: an atom whose code was zero for every patch of {@code deadAtomWindow} consecutive
 * steps receives no gradient and would stay useless forever. It is re-seeded with the normalized
 * residual x_i - Phi a_i of one of the batch's worst-reconstructed patches (one distinct patch per
 * atom, largest residual first): that direction is exactly what the dictionary fails to explain.
 *
 * <p>A step that produces NaN or infinite atoms is rejected and the previous Phi restored (a copy is
 * kept per step; n x N floats). Every accepted step advances the dictionary version.
 *
 * <p>Mutates the dictionary in place; not thread-safe (ARCHITECTURE.md, trap T2).
 */
public final class DictionaryLearner {

    private static final Logger LOG = LoggerFactory.getLogger(DictionaryLearner.class);
    private static final String WORKSPACE = "smt-dictionary-learner";
    /** Atoms shorter than this after a step are not rescaled (they would become noise). */
    private static final double MIN_ATOM_NORM = 1e-12;

    private final Dictionary dictionary;
    private final double eta;
    private final int deadAtomWindow;

    private final INDArray backup;     // last good Phi, n x N
    private final INDArray idleSteps;  // per atom: consecutive steps without any non-zero code, N x 1
    private INDArray residual;         // X - Phi A, n x B

    /**
     * @param dictionary     Phi to learn, changed in place
     * @param eta            step size of the gradient step, >= 0
     * @param deadAtomWindow steps without any activity after which an atom is re-seeded, >= 1
     */
    public DictionaryLearner(Dictionary dictionary, double eta, int deadAtomWindow) {
        if (!(eta >= 0) || !Double.isFinite(eta)) {
            throw new IllegalArgumentException("Invalid dictionary rate: " + eta);
        }
        if (deadAtomWindow < 1) {
            throw new IllegalArgumentException("Invalid dead-atom window: " + deadAtomWindow + " (must be >= 1)");
        }
        this.dictionary = dictionary;
        this.eta = eta;
        this.deadAtomWindow = deadAtomWindow;
        this.backup = Scratch.buffer(dictionary.atomDim(), dictionary.size());
        this.idleSteps = Scratch.buffer(dictionary.size(), 1);
    }

    /**
     * One learning step on a batch and its codes.
     *
     * @param x     X, n x B patches
     * @param codes A, N x B non-negative codes of X under the current Phi
     */
    public LearningStep update(INDArray x, INDArray codes) {
        INDArray phi = dictionary.phi();
        int batch = x.columns();
        if (x.rows() != phi.rows() || codes.rows() != phi.columns() || codes.columns() != batch) {
            throw new IllegalArgumentException("Shapes do not match: Phi " + Arrays.toString(phi.shape())
                    + ", X " + Arrays.toString(x.shape()) + ", A " + Arrays.toString(codes.shape()));
        }
        if (residual == null || residual.columns() != batch) {
            residual = Scratch.buffer(phi.rows(), batch);
        }
        residual.assign(x);
        Nd4j.gemm(phi, codes, residual, false, false, -1.0, 1.0);                  // R = X - Phi A
        backup.assign(phi);
        Nd4j.gemm(residual, codes, phi, false, true, eta / batch, 1.0);          // Phi += eta R A^T / B

        boolean anyDead;
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            INDArray norms = phi.norm2(0).reshape(1, phi.columns());
            if (!Double.isFinite(norms.sumNumber().doubleValue())) {
                phi.assign(backup);
                LOG.warn("Rejected dictionary update at version {}: NaN or infinite atoms (input or codes not finite?)",
                        dictionary.version());
                return new LearningStep(dictionary.version(), false, 0);
            }
            phi.diviRowVector(Transforms.max(norms, MIN_ATOM_NORM, false));
            // inactive = 1 - sign(max_i a_ji), since codes are >= 0
            INDArray inactive = Transforms.sign(codes.max(1).reshape(phi.columns(), 1), false).rsubi(1.0);
            idleSteps.addi(1.0).muli(inactive);
            anyDead = idleSteps.maxNumber().doubleValue() >= deadAtomWindow;
        }
        int reseeded = anyDead ? reseedDeadAtoms(phi) : 0;
        dictionary.advanceVersion();
        return new LearningStep(dictionary.version(), true, reseeded);
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    public double eta() {
        return eta;
    }

    public int deadAtomWindow() {
        return deadAtomWindow;
    }

    /** Replaces each dead atom by the normalized residual of a distinct, worst-reconstructed patch. */
    private int reseedDeadAtoms(INDArray phi) {
        float[] idle = idleSteps.data().asFloat();
        int[] dead = IntStream.range(0, idle.length).filter(j -> idle[j] >= deadAtomWindow).toArray();
        float[] residualNorms;
        try (MemoryWorkspace ws = Scratch.open(WORKSPACE)) {
            residualNorms = residual.norm2(0).toFloatVector();
        }
        int[] worstFirst = IntStream.range(0, residualNorms.length).boxed()
                .sorted((a, b) -> Float.compare(residualNorms[b], residualNorms[a]))
                .mapToInt(Integer::intValue).toArray();
        int reseeded = 0;
        for (int m = 0; m < dead.length && m < worstFirst.length; m++) {
            int patch = worstFirst[m];
            double norm = residualNorms[patch];
            if (!(norm > MIN_ATOM_NORM) || !Double.isFinite(norm)) {
                break;        // the rest of the batch is reconstructed exactly: nothing to learn from
            }
            phi.getColumn(dead[m]).assign(residual.getColumn(patch)).divi(norm);
            idleSteps.putScalar(dead[m], 0.0);
            reseeded++;
        }
        if (reseeded > 0) {
            LOG.debug("Re-seeded {} of {} dead atoms at version {}", reseeded, dead.length, dictionary.version());
        }
        return reseeded;
    }
}
