package org.smtstream.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.smtstream.model.CosineNeighbours;
import org.smtstream.model.FloatMatrix;

/**
 * Affinity groups as in the thesis: an atom and its nearest neighbours in the embedding, by cosine
 * similarity of P's columns (the atoms the embedding maps to nearby directions). Cosine, not
 * distance, because P's column norms vary by orders of magnitude with how often an atom is used.
 */
final class AffinityGroups {

    /** One neighbour and its cosine similarity to the group's atom. */
    record Neighbour(int atom, double cosine) {
    }

    /** An atom and its neighbours, most similar first. */
    record Group(int atom, List<Neighbour> neighbours) {
        /** The atom then its neighbours: the tiles of the group's row. */
        int[] tiles() {
            int[] tiles = new int[neighbours.size() + 1];
            tiles[0] = atom;
            for (int i = 0; i < neighbours.size(); i++) {
                tiles[i + 1] = neighbours.get(i).atom();
            }
            return tiles;
        }
    }

    private AffinityGroups() {
    }

    /**
     * The {@code k} atoms whose columns of {@code p} (f x N) have the largest cosine similarity to
     * atom {@code atom}'s, most similar first, by {@link CosineNeighbours}'s rule: atoms with an
     * all-zero column have no direction and are never neighbours.
     */
    static Group topK(FloatMatrix p, int atom, int k) {
        return topK(p, CosineNeighbours.columnNorms(p), atom, k);
    }

    private static Group topK(FloatMatrix p, double[] norms, int atom, int k) {
        if (atom < 0 || atom >= p.cols()) {
            throw new IllegalArgumentException("Atom " + atom + " outside [0, " + p.cols() + ")");
        }
        CosineNeighbours.Neighbours found = CosineNeighbours.of(p, norms, atom, k);
        List<Neighbour> neighbours = new ArrayList<>(found.columns().length);
        for (int i = 0; i < found.columns().length; i++) {
            neighbours.add(new Neighbour(found.columns()[i], found.similarities()[i]));
        }
        return new Group(atom, List.copyOf(neighbours));
    }

    /**
     * The groups of the {@code groups} most used atoms (largest mean activity), each with {@code k}
     * neighbours: the atoms a viewer sees at work in the reconstructions. Without activities, the
     * first atoms with a non-zero embedding column.
     *
     * @param meanActivity mean activation per atom (length N), or null
     */
    static List<Group> ofMostUsed(FloatMatrix p, float[] meanActivity, int groups, int k) {
        double[] norms = CosineNeighbours.columnNorms(p);
        Integer[] order = new Integer[p.cols()];
        Arrays.setAll(order, i -> i);
        if (meanActivity != null && meanActivity.length == p.cols()) {
            Arrays.sort(order, (a, b) -> Float.compare(meanActivity[b], meanActivity[a]));
        }
        List<Group> result = new ArrayList<>(groups);
        for (int i = 0; i < order.length && result.size() < groups; i++) {
            if (norms[order[i]] > 0) {
                result.add(topK(p, norms, order[i], k));
            }
        }
        return result;
    }
}
