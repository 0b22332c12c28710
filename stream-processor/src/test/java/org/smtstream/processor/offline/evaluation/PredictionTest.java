package org.smtstream.processor.offline.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.smtstream.processor.offline.evaluation.Prediction.PIXELS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.Json;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.coding.Dictionary;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.offline.evaluation.Prediction.Predictor;
import org.smtstream.processor.offline.evaluation.Prediction.Result;
import org.smtstream.processor.offline.evaluation.Prediction.Row;
import org.smtstream.processor.testing.TestArrays;

/** Known answers of the next-frame predictors on planted sequences. */
class PredictionTest {

    private static final int N = 8;
    private static final int ROWS = 6;
    private static final int LOCATIONS = 5;
    /** g with lambda 0: for an orthogonal P it recovers any non-negative alpha exactly. */
    private static final EmbeddingInverse EXACT = new EmbeddingInverse(0.0, Solver.FISTA, 500, 1e-9);
    private static final Dictionary PHI = Dictionary.of(TestArrays.toNd4j(TestArrays.gaussian(ROWS, N,
            new SplittableRandom(1))), 0);

    /** x_t = x0 + t v per location, t = 0 .. frames - 1 (FLOAT, n x L). */
    private static List<INDArray> linear(int frames, double[][] x0, double[][] v) {
        List<INDArray> out = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            double[][] x = new double[x0.length][x0[0].length];
            for (int r = 0; r < x.length; r++) {
                for (int c = 0; c < x[0].length; c++) {
                    x[r][c] = x0[r][c] + t * v[r][c];
                }
            }
            out.add(TestArrays.toNd4j(x));
        }
        return out;
    }

    private static List<INDArray> linear(int frames, SplittableRandom random) {
        return linear(frames, TestArrays.gaussian(ROWS, LOCATIONS, random), TestArrays.gaussian(ROWS, LOCATIONS,
                random));
    }

    private static Result pixelsOnly(List<List<INDArray>> runs, boolean[] moving) {
        return Prediction.measure(runs, runs, PHI, Map.of(), EXACT, moving);
    }

    /** Codes alpha_t in [1, 2] at every location (so 2 alpha_t - alpha_{t-1} &gt;= 0). */
    private static List<INDArray> positiveCodes(int frames, SplittableRandom random) {
        List<INDArray> codes = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            double[][] a = new double[N][LOCATIONS];
            for (double[] row : a) {
                for (int b = 0; b < LOCATIONS; b++) {
                    row[b] = 1 + random.nextDouble();
                }
            }
            codes.add(TestArrays.toNd4j(a));
        }
        return codes;
    }

    /** Phi alpha of every frame. */
    private static List<INDArray> reconstructed(List<INDArray> codes) {
        return codes.stream().map(a -> PHI.phi().mmul(a).dup('f')).toList();
    }

    private static Row copyLast(Result r) {
        return r.row(PIXELS, Predictor.COPY_LAST);
    }

    private static Row extrapolated(Result r) {
        return r.row(PIXELS, Predictor.EXTRAPOLATION);
    }

    private static boolean[] moving(int... locations) {
        boolean[] m = new boolean[LOCATIONS];
        for (int b : locations) {
            m[b] = true;
        }
        return m;
    }

    /** Copy-last's SNR from energies summed in double over the given locations of the frames 2 .. T-1. */
    private static double referenceCopyLastDb(List<INDArray> frames, int... locations) {
        double signal = 0;
        double error = 0;
        for (int t = 2; t < frames.size(); t++) {
            double[][] next = TestArrays.toDouble(frames.get(t));
            double[][] last = TestArrays.toDouble(frames.get(t - 1));
            for (int b : locations) {
                for (int r = 0; r < next.length; r++) {
                    double d = next[r][b] - last[r][b];
                    signal += next[r][b] * next[r][b];
                    error += d * d;
                }
            }
        }
        return 10 * Math.log10(signal / error);
    }

    @Test
    void shouldExtrapolateLinearPixelMotionExactlyAndNotCopyIt() {
        List<INDArray> frames = linear(10, new SplittableRandom(2));
        Result r = pixelsOnly(List.of(frames), moving(0, 3));

        assertEquals(8, r.predictedFrames());
        assertTrue(extrapolated(r).allDb() > 100, "2 x_t - x_{t-1} is exact: " + extrapolated(r));
        assertEquals(referenceCopyLastDb(frames, 0, 1, 2, 3, 4), copyLast(r).allDb(), 1e-6);
        assertEquals(referenceCopyLastDb(frames, 0, 3), copyLast(r).movingDb(), 1e-6);
        assertTrue(copyLast(r).allDb() < 30, copyLast(r).toString());
        assertEquals(List.of(Predictor.COPY_LAST, Predictor.EXTRAPOLATION),
                r.rows().stream().map(Row::predictor).toList(), "no embedding, no g");
    }

    @Test
    void shouldMakeCopyLastExactOnAStaticSequence() {
        SplittableRandom random = new SplittableRandom(3);
        List<INDArray> frames = linear(6, TestArrays.gaussian(ROWS, LOCATIONS, random), new double[ROWS][LOCATIONS]);
        Result r = pixelsOnly(List.of(frames), moving(1));

        assertEquals(Double.POSITIVE_INFINITY, copyLast(r).allDb());
        assertEquals(Double.POSITIVE_INFINITY, copyLast(r).movingDb());
        assertTrue(r.toMarkdown().contains("| pixels | copy-last | x_t | inf | inf |"), r.toMarkdown());
    }

    /**
     * Static locations 0, 2, 4 and moving ones 1, 3: copy-last errs only where things move, so over all
     * locations the error is the same and the signal larger; each pool counts its own locations.
     */
    @Test
    void shouldPoolTheMovingLocationsOnly() {
        SplittableRandom random = new SplittableRandom(4);
        double[][] v = new double[ROWS][LOCATIONS];
        for (double[] row : v) {
            row[1] = 0.5 + random.nextDouble();
            row[3] = -0.3;
        }
        List<INDArray> frames = linear(9, TestArrays.gaussian(ROWS, LOCATIONS, random), v);
        Result r = pixelsOnly(List.of(frames), moving(1, 3));

        assertEquals(2, r.movingLocations());
        assertEquals(LOCATIONS, r.locations());
        assertEquals(referenceCopyLastDb(frames, 1, 3), copyLast(r).movingDb(), 1e-6);
        assertEquals(referenceCopyLastDb(frames, 0, 1, 2, 3, 4), copyLast(r).allDb(), 1e-6);
        assertTrue(copyLast(r).allDb() > copyLast(r).movingDb(), "the static locations add signal and no error");
        Result staticOnly = pixelsOnly(List.of(frames), moving(0, 2, 4));
        assertEquals(Double.POSITIVE_INFINITY, copyLast(staticOnly).movingDb());
    }

    /**
     * Two runs, each moving linearly but with another start and speed, around a blank frame, and a run
     * of two frames: the blank frames cut them, so pixel extrapolation stays exact and the short run
     * predicts nothing.
     */
    @Test
    void shouldNotPredictAcrossABlankFrame() {
        SplittableRandom random = new SplittableRandom(5);
        INDArray blank = Nd4j.zeros(DataType.FLOAT, ROWS, LOCATIONS).dup('f');
        List<INDArray> frames = new ArrayList<>(linear(6, random));
        frames.add(blank);
        frames.addAll(linear(7, random));
        frames.add(blank);
        frames.addAll(linear(2, random));
        List<List<INDArray>> runs = Segments.split(frames, Segments.blank(frames));
        Result r = pixelsOnly(runs, moving(2));

        assertEquals(3, runs.size());
        assertEquals((6 - 2) + (7 - 2), r.predictedFrames());
        assertTrue(extrapolated(r).allDb() > 100, extrapolated(r).toString());
        Result uncut = pixelsOnly(List.of(frames), moving(2));
        assertTrue(extrapolated(uncut).allDb() < 20, "across the cuts it would not be exact: " + extrapolated(uncut));
    }

    /**
     * x_t = Phi alpha_t with alpha_t in [1, 2] (so 2 alpha_t - alpha_{t-1} &gt;= 0) and P orthogonal, f = N:
     * g recovers any non-negative code exactly, so Phi g(2 beta_t - beta_{t-1}) is 2 x_t - x_{t-1},
     * Phi g(beta_t) is x_t, and the ceiling Phi g(beta_{t+1}) is x_{t+1} itself.
     */
    @Test
    void shouldPredictThroughBetaAsInPixelsWhenGIsExact() {
        List<INDArray> codes = positiveCodes(20, new SplittableRandom(6));
        List<INDArray> pixels = reconstructed(codes);
        Map<String, Embedding> embeddings = new LinkedHashMap<>();
        embeddings.put("orthogonal", Embedding.of(TestArrays.randomOrthogonal(N, 7), 0));
        Result r = Prediction.measure(List.of(pixels), List.of(codes), PHI, embeddings, EXACT, moving(0, 4));

        assertEquals(18, r.predictedFrames());
        for (Predictor predictor : List.of(Predictor.COPY_LAST, Predictor.EXTRAPOLATION)) {
            Row inPixels = r.row(PIXELS, predictor);
            Row throughBeta = r.row("orthogonal", predictor);
            assertTrue(inPixels.allDb() < 20, "random codes neither stand still nor move linearly: " + inPixels);
            assertEquals(inPixels.allDb(), throughBeta.allDb(), 1e-3, predictor.name());
            assertEquals(inPixels.movingDb(), throughBeta.movingDb(), 1e-3, predictor.name());
        }
        Row ceiling = r.row("orthogonal", Predictor.CEILING);
        assertTrue(ceiling.allDb() > 60 && ceiling.movingDb() > 60, ceiling.toString());
        assertEquals("Phi g(2 beta_t - beta_{t-1})", r.row("orthogonal", Predictor.EXTRAPOLATION).prediction());
        assertEquals("2 x_t - x_{t-1}", extrapolated(r).prediction());
        assertEquals(List.of(PIXELS, PIXELS, "orthogonal", "orthogonal", "orthogonal"),
                r.rows().stream().map(Row::representation).toList());
    }

    @Test
    void shouldWriteEveryRowInTheTableAndTheJson() throws Exception {
        List<INDArray> frames = linear(7, new SplittableRandom(8));
        Dictionary identity = Dictionary.of(Nd4j.eye(ROWS), 0);
        Result r = Prediction.measure(List.of(frames), List.of(frames), identity,
                Map.of("identity", Embedding.of(Nd4j.eye(ROWS), 0)), EXACT, moving(1, 2));

        String md = r.toMarkdown();
        assertTrue(md.contains("| identity | extrapolation | Phi g(2 beta_t - beta_{t-1}) |"), md);
        assertTrue(md.contains("| identity | ceiling | Phi g(beta_{t+1}) |"), md);
        assertTrue(md.contains("On the moving locations, extrapolating identity predicts the next frame"), md);
        JsonNode json = Json.readTree(Json.writePretty(r.toJsonTree()));
        assertEquals(5, json.get("predictedFrames").asInt());
        assertEquals(5, json.get("rows").size());
        for (JsonNode row : json.get("rows")) {
            Predictor predictor = Predictor.valueOf(row.get("predictor").asText().toUpperCase(Locale.ROOT)
                    .replace('-', '_'));
            Row expected = r.row(row.get("representation").asText(), predictor);
            assertEquals(expected.prediction(), row.get("prediction").asText());
            JsonNode moving = row.get("movingDb");
            assertEquals(expected.movingDb(), moving.isNull() ? Double.POSITIVE_INFINITY : moving.asDouble(), 1e-12,
                    "null is the infinite SNR of an exact prediction");
        }
    }

    @Test
    void shouldRejectRunsThatDoNotMatchAndAnEmbeddingCalledPixels() {
        List<INDArray> frames = linear(4, new SplittableRandom(9));
        assertThrows(IllegalArgumentException.class, () -> Prediction.measure(List.of(frames),
                List.of(frames.subList(0, 3)), PHI, Map.of(), EXACT, moving(0)));
        assertThrows(IllegalArgumentException.class, () -> Prediction.measure(List.of(frames), List.of(frames,
                frames), PHI, Map.of(), EXACT, moving(0)));
        assertThrows(IllegalArgumentException.class, () -> Prediction.measure(List.of(frames), List.of(frames), PHI,
                Map.of(PIXELS, Embedding.of(Nd4j.eye(N), 0)), EXACT, moving(0)));
    }

    /**
     * Reconstructions handed in are used as Phi g(beta_t) and Phi g(beta_{t+1}) instead of solving g
     * again: the same ones give the same rows, zeros give 0 dB (the error is the signal) for copying and
     * the ceiling, and extrapolation, which needs g of a new beta, is solved either way.
     */
    @Test
    void shouldUseTheReconstructionsItIsGivenInsteadOfSolvingGAgain() {
        List<List<INDArray>> codes = List.of(positiveCodes(9, new SplittableRandom(10)),
                positiveCodes(5, new SplittableRandom(11)));
        List<List<INDArray>> pixels = codes.stream().map(PredictionTest::reconstructed).toList();
        Map<String, Embedding> embeddings = Map.of("beta", Embedding.of(TestArrays.randomOrthogonal(N, 12), 0));
        Reconstructions known = Reconstructions.of(pixels, codes, PHI, embeddings.get("beta"), EXACT);
        assertEquals(List.of(9, 5), known.throughBeta().stream().map(List::size).toList());
        assertTrue(known.inverseDb() > 60 && known.alphaDb() > 60, "g is exact here: " + known);

        Result solved = Prediction.measure(pixels, codes, PHI, embeddings, EXACT, moving(0, 4));
        Result given = Prediction.measure(pixels, codes, PHI, embeddings, Map.of("beta", known.throughBeta()),
                EXACT, moving(0, 4));
        assertEquals(solved.rows(), given.rows());

        List<List<INDArray>> zeros = known.throughBeta().stream()
                .map(run -> run.stream().map(x -> Nd4j.zerosLike(x)).toList()).toList();
        Result wrong = Prediction.measure(pixels, codes, PHI, embeddings, Map.of("beta", zeros), EXACT, moving(0, 4));
        for (Predictor predictor : List.of(Predictor.COPY_LAST, Predictor.CEILING)) {
            assertEquals(0.0, wrong.row("beta", predictor).allDb(), 1e-9, predictor.name());
        }
        assertEquals(solved.row("beta", Predictor.EXTRAPOLATION), wrong.row("beta", Predictor.EXTRAPOLATION));
        assertThrows(IllegalArgumentException.class, () -> Prediction.measure(pixels, codes, PHI, embeddings,
                Map.of("beta", List.of(known.throughBeta().get(0))), EXACT, moving(0)));
    }
}
