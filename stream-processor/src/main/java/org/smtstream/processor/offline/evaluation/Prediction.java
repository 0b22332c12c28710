package org.smtstream.processor.offline.evaluation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.Json;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.linalg.Metrics;

/**
 * Next-frame prediction, the use of straightening: if trajectories in beta are straighter, beta_{t+1}
 * is better predicted by 2 beta_t - beta_{t-1}. On runs of whitened patches x_t and their codes alpha_t,
 * each frame x_{t+1} that has two predecessors in its run is predicted
 * <ul>
 *   <li>in pixels: by copying the last frame, x_t, and by extrapolating, 2 x_t - x_{t-1};</li>
 *   <li>through each embedding P, beta = P alpha and g = eq. 3.1 ({@link EmbeddingInverse}, batched as
 *       {@link Reconstructions} does): by Phi g(beta_t) and by Phi g(2 beta_t - beta_{t-1}),
 *       beside the reference Phi g(beta_{t+1}), the true next beta reconstructed.</li>
 * </ul>
 * Copying and extrapolating through the same g separate what the extrapolation in beta gains from what
 * g loses; the reference shows the latter. Every predictor is scored on the same frames, by SNR pooled over them
 * ({@link Metrics#snrDb(double, double)}), over all locations and over the moving ones. No prediction
 * spans two runs: the caller cuts them at blank frames and at the train/test split ({@link Segments}).
 *
 * <p>Cost per P: g of every frame once (none where the caller has the frames' {@link Reconstructions}
 * already, having measured the SNR of Phi g(beta)) and of every predicted frame's extrapolated beta,
 * {@value #BATCH_FRAMES} frames per solve.
 *
 * <p>Not thread-safe (it drives ND4J on the calling thread).
 */
public final class Prediction {

    /** Frames per solve of g (as {@link Reconstructions}: wider GEMMs, one stopping test). */
    static final int BATCH_FRAMES = Reconstructions.BATCH_FRAMES;
    /** The representation name of the pixel predictors. */
    public static final String PIXELS = "pixels";

    /** How x_{t+1} is predicted within one representation. */
    public enum Predictor {
        COPY_LAST("x_t", "Phi g(beta_t)"),
        EXTRAPOLATION("2 x_t - x_{t-1}", "Phi g(2 beta_t - beta_{t-1})"),
        /** Not a prediction: the reconstruction of the true next beta, for reference. */
        CEILING(null, "Phi g(beta_{t+1})");

        private final String inPixels;
        private final String throughBeta;

        Predictor(String inPixels, String throughBeta) {
            this.inPixels = inPixels;
            this.throughBeta = throughBeta;
        }

        /** The formula of x_{t+1}'s prediction, in pixels or through an embedding. */
        public String formula(boolean pixels) {
            return pixels ? inPixels : throughBeta;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One predictor's SNRs in dB.
     *
     * @param representation {@link #PIXELS} or the embedding's name
     * @param predictor      how
     * @param allDb          over all locations
     * @param movingDb       over the moving locations
     */
    public record Row(String representation, Predictor predictor, double allDb, double movingDb) {

        /** What x_{t+1} is predicted by. */
        public String prediction() {
            return predictor.formula(representation.equals(PIXELS));
        }
    }

    /**
     * @param predictedFrames frames predicted (those with two predecessors in their run), the same for every row
     * @param locations       patch locations per frame
     * @param movingLocations of those, the moving ones
     * @param rows            pixels' copy-last and extrapolation, then each embedding's copy-last,
     *                        extrapolation and ceiling, in the order the embeddings were given
     */
    public record Result(int predictedFrames, int locations, int movingLocations, List<Row> rows) {

        public Row row(String representation, Predictor predictor) {
            return rows.stream().filter(r -> r.representation().equals(representation) && r.predictor() == predictor)
                    .findFirst().orElseThrow();
        }

        /** The table, the frames it pools, and {@link #comparison} for the first embedding (if any). */
        public String toMarkdown() {
            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, "Prediction of the next frame x_{t+1} from x_t and x_{t-1}: SNR in "
                    + "dB pooled over the %d frames that have two predecessors in their run (no prediction spans a "
                    + "blank frame), over all %d locations and the %d moving ones. The ceiling Phi g(beta_{t+1}) is "
                    + "no prediction: it reconstructs the true next beta.%n%n", predictedFrames, locations,
                    movingLocations));
            md.append("| representation | predictor | prediction | all | moving |\n|---|---|---|---:|---:|\n");
            for (Row r : rows) {
                md.append("| ").append(r.representation()).append(" | ").append(r.predictor().label()).append(" | ")
                        .append(r.prediction()).append(" | ").append(format(r.allDb())).append(" | ")
                        .append(format(r.movingDb())).append(" |\n");
            }
            rows.stream().map(Row::representation).filter(name -> !name.equals(PIXELS)).findFirst()
                    .ifPresent(name -> md.append('\n').append(comparison(name)).append('\n'));
            return md.toString();
        }

        /**
         * Whether extrapolating the embedding {@code name} predicts better than copying the last frame
         * and extrapolating pixels, and than copying its own last beta through the same g, with the
         * numbers.
         */
        public String comparison(String name) {
            Row beta = row(name, Predictor.EXTRAPOLATION);
            Row copy = row(PIXELS, Predictor.COPY_LAST);
            Row pixels = row(PIXELS, Predictor.EXTRAPOLATION);
            Row held = row(name, Predictor.COPY_LAST);
            return String.format(Locale.ROOT, "On the moving locations, extrapolating %s predicts the next frame "
                            + "at %s dB: %s copying the last frame (%s dB) and %s extrapolating pixels (%s dB); over "
                            + "all locations %s against %s and %s dB. Through the same g it is %s copying the last "
                            + "%s (%s dB on the moving locations), and the true next %s reconstructed reaches %s dB.",
                    name, format(beta.movingDb()), better(beta.movingDb(), copy.movingDb()), format(copy.movingDb()),
                    better(beta.movingDb(), pixels.movingDb()), format(pixels.movingDb()), format(beta.allDb()),
                    format(copy.allDb()), format(pixels.allDb()), better(beta.movingDb(), held.movingDb()), name,
                    format(held.movingDb()), name, format(row(name, Predictor.CEILING).movingDb()));
        }

        public ObjectNode toJsonTree() {
            ObjectNode j = Json.object().put("predictedFrames", predictedFrames).put("locations", locations)
                    .put("movingLocations", movingLocations);
            ArrayNode rowNodes = j.putArray("rows");
            for (Row r : rows) {
                rowNodes.addObject().put("representation", r.representation())
                        .put("predictor", r.predictor().label()).put("prediction", r.prediction())
                        .put("allDb", r.allDb()).put("movingDb", r.movingDb());
            }
            return j;
        }

        private static String better(double db, double than) {
            return db > than ? "better than" : "no better than";
        }

        private static String format(double db) {
            if (Double.isInfinite(db)) {
                return db > 0 ? "inf" : "-inf";
            }
            return Double.isNaN(db) ? "n/a" : String.format(Locale.ROOT, "%.2f", db);
        }
    }

    /**
     * Scores predictions of the targets' frames: energies per location pooled over the targets (DOUBLE
     * vectors of length L), then SNR over all and over the moving locations.
     */
    private record Scoring(List<List<INDArray>> pixels, List<int[]> targets, INDArray mask, INDArray signal) {

        static Scoring of(List<List<INDArray>> pixels, List<int[]> targets, boolean[] moving) {
            int locations = moving.length;
            INDArray mask = Nd4j.zeros(DataType.DOUBLE, locations);
            for (int b = 0; b < locations; b++) {
                mask.putScalar(b, moving[b] ? 1.0 : 0.0);
            }
            INDArray signal = Nd4j.zeros(DataType.DOUBLE, locations);
            for (int from = 0; from < targets.size(); from += BATCH_FRAMES) {
                signal.addi(energies(stack(pixels, batch(targets, from), 0, locations), null, locations));
            }
            return new Scoring(pixels, targets, mask, signal);
        }

        /**
         * One row per predictor of {@code representation}, from the predictions of each batch of targets
         * (n x (B L) each, in the predictors' order).
         */
        List<Row> rows(String representation, List<Predictor> predictors,
                       Function<List<int[]>, List<INDArray>> predict) {
            int locations = (int) mask.length();
            List<INDArray> errors = new ArrayList<>();
            predictors.forEach(p -> errors.add(Nd4j.zeros(DataType.DOUBLE, locations)));
            for (int from = 0; from < targets.size(); from += BATCH_FRAMES) {
                List<int[]> batch = batch(targets, from);
                INDArray next = stack(pixels, batch, 0, locations);
                List<INDArray> predicted = predict.apply(batch);
                for (int i = 0; i < errors.size(); i++) {
                    errors.get(i).addi(energies(next, predicted.get(i), locations));
                }
            }
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < predictors.size(); i++) {
                INDArray error = errors.get(i);
                rows.add(new Row(representation, predictors.get(i),
                        Metrics.snrDb(signal.sumNumber().doubleValue(), error.sumNumber().doubleValue()),
                        Metrics.snrDb(signal.mul(mask).sumNumber().doubleValue(),
                                error.mul(mask).sumNumber().doubleValue())));
            }
            return rows;
        }
    }

    private Prediction() {
    }

    /**
     * Measures every predictor.
     *
     * @param pixels     runs of whitened patches, n x L FLOAT per frame; not modified
     * @param codes      their codes alpha, the same runs, N x L FLOAT per frame; not modified
     * @param dictionary Phi
     * @param embeddings named embeddings P (none named {@value #PIXELS}), in the order of the rows
     * @param inverse    g
     * @param moving     per location, whether it is moving
     */
    public static Result measure(List<List<INDArray>> pixels, List<List<INDArray>> codes, Dictionary dictionary,
                                 Map<String, Embedding> embeddings, EmbeddingInverse inverse, boolean[] moving) {
        return measure(pixels, codes, dictionary, embeddings, Map.of(), inverse, moving);
    }

    /**
     * Measures every predictor, taking Phi g(beta) of every frame from {@code reconstructed} for the
     * embeddings it names instead of solving g again.
     *
     * @param reconstructed per embedding name, {@link Reconstructions#throughBeta()} of these runs
     */
    public static Result measure(List<List<INDArray>> pixels, List<List<INDArray>> codes, Dictionary dictionary,
                                 Map<String, Embedding> embeddings, Map<String, List<List<INDArray>>> reconstructed,
                                 EmbeddingInverse inverse, boolean[] moving) {
        if (embeddings.containsKey(PIXELS)) {
            throw new IllegalArgumentException("An embedding may not be called " + PIXELS);
        }
        List<int[]> targets = targets(pixels, codes);
        int locations = moving.length;
        Scoring scoring = Scoring.of(pixels, targets, moving);
        List<Row> rows = new ArrayList<>(scoring.rows(PIXELS, List.of(Predictor.COPY_LAST, Predictor.EXTRAPOLATION),
                batch -> {
                    INDArray last = stack(pixels, batch, 1, locations);
                    return List.of(last, last.mul(2).subi(stack(pixels, batch, 2, locations)));
                }));
        for (Map.Entry<String, Embedding> e : embeddings.entrySet()) {
            Embedding p = e.getValue();
            List<List<INDArray>> known = reconstructed.get(e.getKey());
            if (known != null && !Segments.joined(known).stream().map(INDArray::columns).toList()
                    .equals(Segments.joined(codes).stream().map(INDArray::columns).toList())) {
                throw new IllegalArgumentException("The reconstructions of " + e.getKey() + " are not of these runs");
            }
            List<List<INDArray>> frames = known != null ? known
                    : Reconstructions.of(pixels, codes, dictionary, p, inverse).throughBeta();
            rows.addAll(scoring.rows(e.getKey(), List.of(Predictor.values()), batch -> {
                // P is linear: P (2 alpha_t - alpha_{t-1}) is 2 beta_t - beta_{t-1}, with one GEMM instead of two
                INDArray step = stack(codes, batch, 1, locations).muli(2).subi(stack(codes, batch, 2, locations));
                return List.of(stack(frames, batch, 1, locations),
                        Reconstructions.throughBeta(step, dictionary, p, inverse), stack(frames, batch, 0, locations));
            }));
        }
        int movingCount = (int) IntStream.range(0, locations).filter(b -> moving[b]).count();
        return new Result(targets.size(), locations, movingCount, List.copyOf(rows));
    }

    /** The targets of the batch that starts at {@code from}. */
    private static List<int[]> batch(List<int[]> targets, int from) {
        return targets.subList(from, Math.min(targets.size(), from + BATCH_FRAMES));
    }

    /** {run, t} of every frame t with two predecessors in its run, in order. */
    private static List<int[]> targets(List<List<INDArray>> pixels, List<List<INDArray>> codes) {
        if (pixels.size() != codes.size()) {
            throw new IllegalArgumentException(pixels.size() + " runs of pixels but " + codes.size() + " of codes");
        }
        List<int[]> targets = new ArrayList<>();
        for (int r = 0; r < pixels.size(); r++) {
            if (pixels.get(r).size() != codes.get(r).size()) {
                throw new IllegalArgumentException("Run " + r + " has " + pixels.get(r).size() + " frames of pixels "
                        + "but " + codes.get(r).size() + " of codes");
            }
            for (int t = 2; t < pixels.get(r).size(); t++) {
                targets.add(new int[] {r, t});
            }
        }
        return targets;
    }

    /** Frame t - {@code back} of each target, side by side (d x (B L), FLOAT, a new 'f' array). */
    private static INDArray stack(List<List<INDArray>> runs, List<int[]> batch, int back, int locations) {
        INDArray[] frames = new INDArray[batch.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = runs.get(batch.get(i)[0]).get(batch.get(i)[1] - back);
            if (frames[i].columns() != locations) {
                throw new IllegalArgumentException("A frame has " + frames[i].columns() + " locations, expected "
                        + locations);
            }
        }
        return Nd4j.hstack(frames).dup('f');
    }

    /**
     * ||x - y||^2 (or ||x||^2 when y is null) per location, summed over the frames side by side in x
     * (column i L + b is location b), in double: a new vector of length L.
     */
    private static INDArray energies(INDArray x, INDArray y, int locations) {
        INDArray d = x.dataType() == DataType.DOUBLE ? x.dup() : x.castTo(DataType.DOUBLE);
        if (y != null) {
            d.subi(y.castTo(DataType.DOUBLE));
        }
        return d.muli(d).sum(0).reshape('c', d.columns() / locations, locations).sum(0);
    }
}
