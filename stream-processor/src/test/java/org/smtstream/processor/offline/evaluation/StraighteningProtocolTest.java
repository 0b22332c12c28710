package org.smtstream.processor.offline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.inverse.InvertMatrix;
import org.smtstream.model.Json;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.model.TurningAngles.Mean;
import org.smtstream.processor.math.analysis.Curvature;
import org.smtstream.processor.math.embedding.AnalyticEmbedding;
import org.smtstream.processor.math.embedding.RunningMoments;
import org.smtstream.processor.math.linalg.SymmetricEigen;
import org.smtstream.processor.offline.evaluation.Prediction.Predictor;
import org.smtstream.processor.offline.evaluation.StraighteningProtocol.Options;
import org.smtstream.processor.offline.evaluation.StraighteningProtocol.Representation;
import org.smtstream.processor.offline.evaluation.StraighteningProtocol.Result;
import org.smtstream.processor.testing.TestArrays;

/**
 * That the pieces of the held-out protocol (ARCHITECTURE.md, "Measuring straightening") are wired
 * right, on tiny planted clips: the split, second differences within each location only and in the
 * order asked for, the choice of the moving locations, the pooled curvature, and the optimality of
 * eq. 3.3 against the three controls. Whether real video straightens is the deploy module's
 * EvaluateIT.
 */
class StraighteningProtocolTest {

    /** 4 x 4 patches, N = 32 atoms, f = 4. */
    private static final SmtConfig TINY = new SmtConfig("tiny", 16, 4, 4, 12.0, 32, 4, 0.05, Solver.FISTA, 200, 1e-5,
            0.1, 0.0, 0.0, 0.05, 10, 0, 0.3, 300, 1, 3L);
    private static final int LOCATIONS = 8;
    private static final int FRAMES = 60;
    /** Locations 2 and 5 move; the others stand still under faint noise. */
    private static final int[] PLANTED_MOVING = {2, 5};
    private static final double EXACT_TOL = 1e-9;

    private static List<INDArray> clip;
    private static Result result;

    @BeforeAll
    static void run() {
        clip = plantedClip(new SplittableRandom(11));
        result = StraighteningProtocol.run(clip, TINY, Options.defaults());
    }

    /**
     * Frame t, location b: a 4 x 4 grating cos(0.9 r + 0.6 c + phase) plus a second one at another
     * orientation; the phases advance by about 0.5 rad per frame at the moving locations and stay
     * fixed elsewhere. Gaussian noise of 0.01 everywhere.
     */
    private static List<INDArray> plantedClip(SplittableRandom random) {
        int p = TINY.patchSize();
        List<INDArray> frames = new ArrayList<>();
        double[] offset = new double[LOCATIONS];
        double[] speed = new double[LOCATIONS];
        for (int b = 0; b < LOCATIONS; b++) {
            offset[b] = 2 * Math.PI * random.nextDouble();
        }
        for (int b : PLANTED_MOVING) {
            speed[b] = 0.4 + 0.2 * random.nextDouble();
        }
        for (int t = 0; t < FRAMES; t++) {
            float[] data = new float[p * p * LOCATIONS];
            for (int b = 0; b < LOCATIONS; b++) {
                double phase = offset[b] + speed[b] * t;
                for (int r = 0; r < p; r++) {
                    for (int c = 0; c < p; c++) {
                        double v = Math.cos(0.9 * r + 0.6 * c + phase)
                                + 0.5 * Math.cos(-0.4 * r + 1.1 * c + 0.7 * phase)
                                + 0.01 * TestArrays.gaussian(random);
                        data[b * p * p + r * p + c] = (float) v;
                    }
                }
            }
            frames.add(Nd4j.create(data, new long[] {p * p, LOCATIONS}, 'f'));
        }
        return frames;
    }

    @Test
    void shouldSplitSeventyThirty() {
        assertEquals(FRAMES, result.frames());
        assertEquals(42, result.trainFrames());
        assertEquals(18, result.testFrames());
        assertEquals(LOCATIONS, result.locations());
    }

    @Test
    void shouldPickThePlantedMovingLocations() {
        int[] moving = result.movingLocations().clone();
        Arrays.sort(moving);
        assertArrayEquals(PLANTED_MOVING, moving);
    }

    /**
     * Blank frames at both ends and one inside: counted, not learned from, and left out of every held-out
     * number, which stays finite; the planted motion is still what is found.
     */
    @Test
    void shouldCountBlankFramesAndKeepThemOutOfEveryNumber() {
        INDArray blank = Nd4j.zeros(DataType.FLOAT, clip.get(0).rows(), LOCATIONS).dup('f');
        List<INDArray> frames = new ArrayList<>(clip);
        frames.add(50, blank);
        frames.add(0, blank);
        frames.add(0, blank);
        frames.add(blank);
        Result withBlank = StraighteningProtocol.run(frames, TINY, Options.defaults());

        assertEquals(4, withBlank.blankFrames());
        assertEquals(0, result.blankFrames());
        int[] moving = withBlank.movingLocations().clone();
        Arrays.sort(moving);
        assertArrayEquals(PLANTED_MOVING, moving, "the steps to and from black are not motion");
        assertTrue(Double.isFinite(withBlank.snrAlphaDb()) && Double.isFinite(withBlank.snrInverseDb()),
                withBlank.snrAlphaDb() + " / " + withBlank.snrInverseDb());
        assertTrue(withBlank.testActiveFraction() > 0 && withBlank.testActiveFraction() < 1);
        for (Representation r : Representation.values()) {
            for (int k : withBlank.options().steps()) {
                assertTrue(Double.isFinite(withBlank.curvature(r, k, false)), r + " at k = " + k);
            }
        }
        Mean pixels = withBlank.row(Representation.PIXELS).at(1, false);
        int testFrames = withBlank.testFrames();
        // held out: frames 44 .. 63, blank 52 and 63, so two runs, each giving its length - 2 pairs at k = 1
        assertEquals(20, testFrames);
        assertEquals((long) (testFrames - 2 - 2 * 2) * LOCATIONS, pixels.pairs() + pixels.skipped(),
                "pairs at k = 1 only within runs of frames that are not blank");
        assertEquals((8 - 2) + (10 - 2), withBlank.prediction().predictedFrames(), "predictions within the runs");
        for (Prediction.Row row : withBlank.prediction().rows()) {
            assertTrue(Double.isFinite(row.allDb()) && Double.isFinite(row.movingDb()), row.toString());
        }
    }

    @Test
    void shouldMeasurePixelsOnTheHeldOutFramesOnly() {
        List<INDArray> test = clip.subList(result.trainFrames(), FRAMES);
        List<INDArray> movingOnly = new ArrayList<>();
        for (INDArray x : test) {
            movingOnly.add(x.getColumns(PLANTED_MOVING).dup('f'));
        }
        for (int k : new int[] {1, 2, 4}) {
            Mean all = Curvature.ofFrames(test, k);
            Mean moving = Curvature.ofFrames(movingOnly, k);
            Mean measuredAll = result.row(Representation.PIXELS).at(k, false);
            Mean measuredMoving = result.row(Representation.PIXELS).at(k, true);
            assertEquals(all.meanDegrees(), measuredAll.meanDegrees(), 1e-9, "all locations, k = " + k);
            assertEquals(all.pairs(), measuredAll.pairs());
            assertEquals(moving.meanDegrees(), measuredMoving.meanDegrees(), 1e-9, "moving locations, k = " + k);
            assertEquals((18 - 2L * k) * PLANTED_MOVING.length, measuredMoving.pairs());
        }
    }

    @Test
    void shouldGiveEveryRepresentationItsDimension() {
        assertEquals(16, result.row(Representation.PIXELS).dimension());
        assertEquals(32, result.row(Representation.ALPHA).dimension());
        for (Representation r : List.of(Representation.BETA, Representation.PCA, Representation.RANDOM,
                Representation.SHUFFLED)) {
            assertEquals(4, result.row(r).dimension(), r.name());
            assertTrue(result.row(r).constraintResidual() < 1e-8,
                    r + ": |P V P^T - I| = " + result.row(r).constraintResidual());
        }
    }

    @Test
    void shouldFitBetaWithTheSmallestTrainingObjective() {
        double beta = result.row(Representation.BETA).trainObjective();
        for (Representation control : List.of(Representation.PCA, Representation.RANDOM, Representation.SHUFFLED)) {
            double other = result.row(control).trainObjective();
            assertTrue(beta < other, "eq. 3.3 minimizes tr(P S P^T) under P V P^T = I: beta " + beta + " vs "
                    + control + " " + other);
        }
    }

    @Test
    void shouldReconstructTheHeldOutFrames() {
        assertTrue(result.snrAlphaDb() > 5, "SNR of Phi alpha " + result.snrAlphaDb());
        assertTrue(Double.isFinite(result.snrInverseDb()), "SNR of Phi g(beta) " + result.snrInverseDb());
        assertTrue(result.testActiveFraction() > 0 && result.testActiveFraction() < 1);
    }

    /**
     * Every held-out frame after the first two is predicted (none from the training frames), in pixels
     * and through beta and each control, with its ceiling.
     */
    @Test
    void shouldPredictTheHeldOutFramesThroughBetaAndEachControl() {
        Prediction.Result prediction = result.prediction();
        assertEquals(18 - 2, prediction.predictedFrames());
        assertEquals(PLANTED_MOVING.length, prediction.movingLocations());
        assertEquals(2 + 3 * 4, prediction.rows().size());
        for (Representation r : List.of(Representation.BETA, Representation.PCA, Representation.RANDOM,
                Representation.SHUFFLED)) {
            for (Predictor predictor : Predictor.values()) {
                Prediction.Row row = prediction.row(StraighteningProtocol.predictionName(r), predictor);
                assertTrue(Double.isFinite(row.allDb()) && Double.isFinite(row.movingDb()), row.toString());
            }
        }
        assertTrue(result.seconds().containsKey("predict"));
    }

    @Test
    void shouldWriteEveryRepresentationInTheTableAndTheJson() {
        String md = result.toMarkdown();
        String json = result.toJson();
        for (Representation r : Representation.values()) {
            assertTrue(md.contains(r.label()), "markdown lacks " + r);
            assertTrue(json.contains("\"" + r.name().toLowerCase(Locale.ROOT) + "\""), "json lacks " + r);
        }
        assertTrue(md.contains("k=4 moving"));
        assertTrue(md.contains("| shuffled | extrapolation | Phi g(2 beta_t - beta_{t-1}) |"), md);
        assertTrue(md.contains("On the moving locations, extrapolating beta predicts the next frame"), md);
        assertTrue(json.contains("\"snrAlphaDb\""));
    }

    /** The JSON reads back with the result's own values; a preset name with a quote stays one string. */
    @Test
    void shouldWriteJsonThatReadsBackAsTheResult() throws Exception {
        Result named = new Result("say \"tiny\"\n", result.config(), result.options(), result.frames(),
                result.blankFrames(), result.trainFrames(), result.testFrames(), result.locations(),
                result.movingLocations(), result.activeAtoms(), result.testActiveFraction(), result.snrAlphaDb(),
                result.snrInverseDb(), result.inverseIterationsMean(), result.rows(), result.prediction(),
                result.seconds(),
                result.dictionary(), result.embedding());
        JsonNode json = Json.readTree(named.toJson());
        assertEquals("say \"tiny\"\n", json.get("preset").asText());
        assertEquals(result.snrAlphaDb(), json.get("snrAlphaDb").asDouble());
        assertEquals(TINY.inverseLambdaFraction(), json.get("inverseLambdaFraction").asDouble());
        assertArrayEquals(result.movingLocations(), Json.read(json.get("movingLocations").toString(), int[].class));
        assertEquals(Representation.values().length, json.get("rows").size());
        for (JsonNode row : json.get("rows")) {
            Representation r = Representation.valueOf(row.get("representation").asText().toUpperCase(Locale.ROOT));
            for (JsonNode step : row.get("curvature")) {
                int k = step.get("k").asInt();
                assertEquals(result.curvature(r, k, false), step.get("all").asDouble(), r + " k=" + k);
                assertEquals(result.row(r).at(k, true).pairs(), step.get("movingPairs").asLong(), r + " k=" + k);
            }
        }
        assertTrue(json.get("rows").get(0).get("trainObjective").isNull(), "NaN (no objective for pixels) is null");
        JsonNode prediction = json.get("prediction");
        assertEquals(result.prediction().predictedFrames(), prediction.get("predictedFrames").asInt());
        for (JsonNode row : prediction.get("rows")) {
            Prediction.Row expected = result.prediction().row(row.get("representation").asText(),
                    Predictor.valueOf(row.get("predictor").asText().toUpperCase(Locale.ROOT).replace('-', '_')));
            assertEquals(expected.allDb(), row.get("allDb").asDouble(), expected.toString());
            assertEquals(expected.movingDb(), row.get("movingDb").asDouble(), expected.toString());
        }
    }

    @Test
    void shouldTakeSecondDifferencesWithinEachLocationOnly() {
        // Two locations, each constant in time but different from the other: every second difference
        // within a location is 0, across locations it would not be.
        List<INDArray> codes = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            codes.add(Nd4j.create(new float[] {1, 0, 0, 0, 0, 3}, new long[] {3, 2}, 'f'));
        }
        INDArray s = StraighteningProtocol.differenceMoments(codes, new boolean[6], new int[] {0, 1, 2, 3, 4, 5}, 3,
                2);
        assertEquals(0.0, s.amaxNumber().doubleValue(), EXACT_TOL);
    }

    @Test
    void shouldTakeSecondDifferencesInTheOrderGiven() {
        // A linear ramp alpha_t = (1 + t, 2 t): zero second differences in temporal order, not shuffled.
        List<INDArray> codes = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            codes.add(Nd4j.create(new float[] {1 + t, 2 * t}, new long[] {2, 1}, 'f'));
        }
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7};
        int[] shuffled = StraighteningProtocol.shuffle(order, 5L);
        int[] sorted = shuffled.clone();
        Arrays.sort(sorted);
        assertArrayEquals(order, sorted, "a permutation");
        assertNotEquals(Arrays.toString(order), Arrays.toString(shuffled));
        boolean[] blank = new boolean[8];
        assertEquals(0.0, StraighteningProtocol.differenceMoments(codes, blank, order, 2, 1).amaxNumber()
                .doubleValue(), EXACT_TOL);
        assertTrue(StraighteningProtocol.differenceMoments(codes, blank, shuffled, 2, 1).amaxNumber().doubleValue()
                > 0.1);
    }

    @Test
    void shouldPoolCurvatureOverTheMarkedLocations() {
        SplittableRandom random = new SplittableRandom(2);
        List<INDArray> frames = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            frames.add(TestArrays.toNd4j(TestArrays.gaussian(5, 40, random)));       // 40 locations: 3 chunks
        }
        boolean[] marked = new boolean[40];
        int[] chosen = {0, 17, 33, 39};
        for (int b : chosen) {
            marked[b] = true;
        }
        Mean[] pooled = StraighteningProtocol.curvature(frames, 3, marked);
        List<INDArray> subset = new ArrayList<>();
        for (INDArray f : frames) {
            subset.add(f.getColumns(chosen).dup('f'));
        }
        assertEquals(Curvature.ofFrames(frames, 3).meanDegrees(), pooled[0].meanDegrees(), 1e-9);
        assertEquals(Curvature.ofFrames(subset, 3).meanDegrees(), pooled[1].meanDegrees(), 1e-9);
        assertEquals((20 - 6) * 4, pooled[1].pairs());
    }

    @Test
    void shouldBuildThePcaControlOnTheConstraint() {
        SplittableRandom random = new SplittableRandom(4);
        double[][] a = TestArrays.sparseCodes(12, 300, 3, 0.5, 1.5, random);
        INDArray codes = TestArrays.toNd4j(a);
        RunningMoments moments = RunningMoments.exact(12);
        moments.update(codes);
        INDArray vReg = AnalyticEmbedding.regularize(moments.secondMoment(), 1e-6);
        INDArray p = StraighteningProtocol.pca(moments.covariance(), vReg, 3);
        assertEquals(3, p.rows());
        assertTrue(AnalyticEmbedding.constraintResidual(p, vReg) < 1e-9);
        // Its rows span the top-3 principal subspace: projecting the leading eigenvector onto them keeps it.
        SymmetricEigen.Decomposition eigen = SymmetricEigen.of(moments.covariance());
        INDArray top = eigen.vectors().get(NDArrayIndex.all(), NDArrayIndex.point(11)).reshape(12, 1);
        INDArray q = p.transpose().dup('f');                        // columns span the same subspace
        INDArray projection = q.mmul(InvertMatrix.invert(q.transpose().mmul(q), false))
                .mmul(q.transpose()).mmul(top);
        assertEquals(1.0, projection.norm2Number().doubleValue(), 1e-6);
    }

    @Test
    void shouldRestrictAndExpandOnTheActiveAtoms() {
        INDArray v = Nd4j.create(new double[][] {{2, 0, 1}, {0, 0, 0}, {1, 0, 3}}).castTo(DataType.DOUBLE);
        int[] active = StraighteningProtocol.activeAtoms(v);
        assertArrayEquals(new int[] {0, 2}, active);
        INDArray restricted = StraighteningProtocol.restrict(v, active);
        assertEquals(Nd4j.create(new double[][] {{2, 1}, {1, 3}}).castTo(DataType.DOUBLE), restricted);
        INDArray expanded = StraighteningProtocol.expand(Nd4j.create(new double[][] {{5, 6}}).castTo(DataType.DOUBLE),
                active, 3);
        assertEquals(Nd4j.create(new double[][] {{5, 0, 6}}).castTo(DataType.DOUBLE), expanded);
    }

    @Test
    void shouldRejectBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> new Options(1.0, 1, new int[] {1}, 0.25, 0, 0, 5, 1));     // no held-out frames
        assertThrows(IllegalArgumentException.class,
                () -> new Options(0.7, 1, new int[] {0}, 0.25, 0, 0, 5, 1));     // step 0
        assertThrows(IllegalArgumentException.class,
                () -> StraighteningProtocol.run(clip.subList(0, 10), TINY, Options.defaults()));
        List<INDArray> wrong = List.of(Nd4j.create(DataType.FLOAT, 9, LOCATIONS));
        assertThrows(IllegalArgumentException.class, () -> StraighteningProtocol.run(wrong, TINY, Options.defaults()));
    }
}
