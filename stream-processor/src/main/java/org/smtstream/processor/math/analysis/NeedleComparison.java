package org.smtstream.processor.math.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.processor.math.analysis.NeedleFit.Needle;

/**
 * The thesis's check of the embedding's topology (section 3.3, figure 3.6B): are an atom's
 * neighbours in embedding space more alike in length and orientation than its neighbours in pixel
 * space? Over a set of well-fit atoms (the thesis: the 500 best of 4000), for each atom its top-k
 * neighbours within that set (k = 9 in the thesis) by cosine similarity of the columns of P
 * (embedding) and of Phi (pixels), and
 * <pre>
 *   Delta length = mean over atoms and neighbours of |length_j - length_l|
 *   Delta angle  = mean over atoms and neighbours of |angle_j - angle_l| mod 180 (in [0, 90])
 * </pre>
 * The same means over all pairs of the set are the chance level: an embedding whose neighbours are
 * no closer than chance has learned nothing about these properties.
 *
 * @param atoms           size of the compared set
 * @param k               neighbours per atom
 * @param embeddingLength mean |Delta length| of embedding-space neighbours, in pixels
 * @param embeddingAngle  mean |Delta angle| of embedding-space neighbours, in degrees
 * @param pixelLength     mean |Delta length| of pixel-space neighbours
 * @param pixelAngle      mean |Delta angle| of pixel-space neighbours
 * @param chanceLength    mean |Delta length| over all pairs of the set
 * @param chanceAngle     mean |Delta angle| over all pairs of the set
 */
public record NeedleComparison(int atoms, int k, double embeddingLength, double embeddingAngle, double pixelLength,
        double pixelAngle, double chanceLength, double chanceAngle) {

    /** Which needle angle is compared. */
    public enum Orientation {
        /** {@link Needle#angleDegrees()}: the principal axis of the energy. */
        AXIS,
        /** {@link Needle#spectralAngleDegrees()}: from the power spectrum (the thesis's choice). */
        SPECTRAL
    }

    /**
     * Indices of the {@code count} atoms with the highest fit quality (best first), skipping atoms
     * whose needle is undefined (NaN).
     */
    public static int[] bestFit(Needle[] needles, int count) {
        return Arrays.stream(needles)
                .filter(v -> Double.isFinite(v.length()) && Double.isFinite(v.angleDegrees()))
                .sorted(Comparator.comparingDouble(Needle::quality).reversed().thenComparingInt(Needle::atom))
                .limit(count)
                .mapToInt(Needle::atom)
                .toArray();
    }

    /**
     * Compares embedding-space and pixel-space neighbours over a set of atoms.
     *
     * @param embedding   P, f x N; not modified
     * @param phi         Phi, n x N; not modified
     * @param needles     the N needles of Phi ({@link NeedleFit#fit}), indexed by atom
     * @param set         atom indices to compare (e.g. {@link #bestFit}), distinct, at least k + 1
     * @param k           neighbours per atom, >= 1
     * @param orientation which angle to compare
     */
    public static NeedleComparison compare(INDArray embedding, INDArray phi, Needle[] needles, int[] set, int k,
            Orientation orientation) {
        if (embedding.columns() != phi.columns() || needles.length != phi.columns()) {
            throw new IllegalArgumentException("P has " + embedding.columns() + " columns, Phi " + phi.columns()
                    + ", needles " + needles.length + ": all must be N");
        }
        if (set.length < k + 1 || IntStream.of(set).distinct().count() != set.length) {
            throw new IllegalArgumentException("Need at least k + 1 = " + (k + 1) + " distinct atoms, got "
                    + set.length + " (" + IntStream.of(set).distinct().count() + " distinct)");
        }
        double[] lengths = new double[set.length];
        double[] angles = new double[set.length];
        for (int i = 0; i < set.length; i++) {
            Needle v = needles[set[i]];
            lengths[i] = v.length();
            angles[i] = orientation == Orientation.AXIS ? v.angleDegrees() : v.spectralAngleDegrees();
            if (!Double.isFinite(lengths[i]) || !Double.isFinite(angles[i])) {
                throw new IllegalArgumentException("Atom " + set[i] + " has no needle (length " + lengths[i]
                        + ", angle " + angles[i] + "): exclude it from the set");
            }
        }
        AffinityGroups inEmbedding = AffinityGroups.of(embedding.getColumns(set), k);
        AffinityGroups inPixels = AffinityGroups.of(phi.getColumns(set), k);
        double[] e = neighbourDeltas(inEmbedding, lengths, angles);
        double[] p = neighbourDeltas(inPixels, lengths, angles);
        double chanceLength = 0;
        double chanceAngle = 0;
        long pairs = 0;
        for (int i = 0; i < set.length; i++) {
            for (int j = i + 1; j < set.length; j++) {
                chanceLength += Math.abs(lengths[i] - lengths[j]);
                chanceAngle += NeedleFit.angleDifference(angles[i], angles[j]);
                pairs++;
            }
        }
        return new NeedleComparison(set.length, k, e[0], e[1], p[0], p[1], chanceLength / pairs, chanceAngle / pairs);
    }

    /** Mean |Delta length| and mean |Delta angle| between each member and its neighbours. */
    private static double[] neighbourDeltas(AffinityGroups groups, double[] lengths, double[] angles) {
        double length = 0;
        double angle = 0;
        long count = 0;
        for (int i = 0; i < groups.size(); i++) {
            for (int l : groups.neighbours()[i]) {
                length += Math.abs(lengths[i] - lengths[l]);
                angle += NeedleFit.angleDifference(angles[i], angles[l]);
                count++;
            }
        }
        return new double[] {length / count, angle / count};
    }
}
