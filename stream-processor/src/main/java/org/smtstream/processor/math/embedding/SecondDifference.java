package org.smtstream.processor.math.embedding;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The second-order temporal difference of the codes, the columns of A D in eq. 3.3
 * (D[t-1,t] = -0.5, D[t,t] = 1, D[t+1,t] = -0.5):
 * <pre>
 *   (A D)_t = alpha_t - 0.5 (alpha_{t-1} + alpha_{t+1})
 * </pre>
 * It is zero exactly when alpha_t lies halfway between its neighbours, the linear flow of eq. 3.2.
 * Only interior columns are formed (a centre frame with both neighbours in the same sequence): the
 * truncated boundary columns of D (alpha_0 - 0.5 alpha_1) are not second differences and would
 * penalize the mean level of P alpha instead of its curvature.
 *
 * <p>A sequence is the codes of ONE patch location of ONE stream between two cuts. Batches keep one
 * location per column, so the N x B difference of three consecutive N x B frames takes each column
 * from its own location only; {@link CodeHistory} keeps the two previous frames of a stream and
 * forgets them at a cut. S = A D D^T A^T is the second moment of these columns
 * ({@link RunningMoments} fed with them: S = weight * secondMoment).
 */
public final class SecondDifference {

    private SecondDifference() {
    }

    /**
     * out = middle - 0.5 (older + newest), column by column: the column of A D centred on the middle
     * frame, for each of B locations.
     *
     * @param older  alpha_{t-2}, N x B
     * @param middle alpha_{t-1}, N x B
     * @param newest alpha_t, N x B
     * @param out    N x B, overwritten (may not alias the inputs)
     * @return out
     */
    public static INDArray of(INDArray older, INDArray middle, INDArray newest, INDArray out) {
        requireSameShape(older, middle, "alpha_{t-2}", "alpha_{t-1}");
        requireSameShape(newest, middle, "alpha_t", "alpha_{t-1}");
        requireSameShape(out, middle, "out", "alpha_{t-1}");
        out.assign(older).addi(newest).muli(-0.5).addi(middle);
        return out;
    }

    /**
     * All T - 2 interior columns of A D for one location's sequence.
     *
     * @param sequence A, N x T, column t = alpha_t in temporal order (T &gt;= 3)
     * @return N x (T - 2), column t - 1 = alpha_t - 0.5 (alpha_{t-1} + alpha_{t+1}), same dtype
     */
    public static INDArray ofSequence(INDArray sequence) {
        long t = sequence.columns();
        if (sequence.rank() != 2 || t < 3) {
            throw new IllegalArgumentException("A sequence needs at least 3 frames, got shape "
                    + Arrays.toString(sequence.shape()));
        }
        INDArray older = sequence.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t - 2));
        INDArray middle = sequence.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t - 1));
        INDArray newest = sequence.get(NDArrayIndex.all(), NDArrayIndex.interval(2, t));
        INDArray out = Nd4j.create(sequence.dataType(), new long[] {sequence.rows(), t - 2}, 'f');
        return of(older, middle, newest, out);
    }

    private static void requireSameShape(INDArray a, INDArray b, String nameA, String nameB) {
        if (!Arrays.equals(a.shape(), b.shape()) || a.rank() != 2) {
            throw new IllegalArgumentException(nameA + " has shape " + Arrays.toString(a.shape()) + " but "
                    + nameB + " has " + Arrays.toString(b.shape()));
        }
    }
}
