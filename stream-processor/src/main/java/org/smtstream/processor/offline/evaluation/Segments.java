package org.smtstream.processor.offline.evaluation;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.model.BlankFrame;

/**
 * A clip's frames with its blank frames ({@link BlankFrame}) taken out: the runs of consecutive frames
 * between them. A blank frame has no SNR, no codes and no direction of motion, and a trajectory that
 * steps from content to black and back turns by angles that say nothing about the representation, so
 * the evaluations measure within runs only, as if each were a clip of its own, and count the blank
 * frames.
 */
final class Segments {

    private Segments() {
    }

    /** Per frame, whether it is blank. */
    static boolean[] blank(List<INDArray> frames) {
        boolean[] blank = new boolean[frames.size()];
        for (int t = 0; t < blank.length; t++) {
            blank[t] = BlankFrame.isBlank(frames.get(t).castTo(DataType.FLOAT).ravel().toFloatVector());
        }
        return blank;
    }

    static int count(boolean[] blank) {
        int n = 0;
        for (boolean b : blank) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** The runs [from, to) of consecutive frames that are not blank, in order. */
    static List<int[]> runs(boolean[] blank) {
        List<int[]> runs = new ArrayList<>();
        int from = -1;
        for (int t = 0; t <= blank.length; t++) {
            boolean content = t < blank.length && !blank[t];
            if (content && from < 0) {
                from = t;
            } else if (!content && from >= 0) {
                runs.add(new int[] {from, t});
                from = -1;
            }
        }
        return runs;
    }

    /** The frames of each run. */
    static <T> List<List<T>> split(List<T> frames, boolean[] blank) {
        return runs(blank).stream().map(r -> frames.subList(r[0], r[1])).toList();
    }

    /** The runs one after the other: for statistics pooled over frames, which no cut affects. */
    static <T> List<T> joined(List<List<T>> runs) {
        return runs.stream().flatMap(List::stream).toList();
    }
}
