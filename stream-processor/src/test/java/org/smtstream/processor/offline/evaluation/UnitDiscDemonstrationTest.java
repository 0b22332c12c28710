package org.smtstream.processor.offline.evaluation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.smtstream.model.SmtConfig.Solver;
import org.smtstream.processor.math.analysis.Curvature;
import org.smtstream.processor.math.embedding.AnalyticEmbedding;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.EmbeddingInverse;
import org.smtstream.processor.math.embedding.OnlineEmbedding;
import org.smtstream.processor.testing.DenseReference;
import org.smtstream.processor.testing.TestArrays;

/**
 * The functional-embedding demonstration of thesis section 3.1: 300 landmarks on the unit disc,
 * points moving along straight lines (400 sequences of 12 frames, speed 0.02..0.06 per frame),
 * coded by normalized Gaussian bumps around the landmarks ({@link UnitDisc}, sigma = 0.08, about 12
 * non-zero codes per point), V = E[alpha alpha^T], S from the second differences, analytic P with
 * f = 21. Evaluated on 200 held-out sequences.
 */
class UnitDiscDemonstrationTest {

    private static final int LANDMARKS = 300;
    private static final int DIM = 21;

    private static UnitDisc disc;
    private static AnalyticEmbedding.Fit fit;
    private static INDArray v;

    @BeforeAll
    static void fit() {
        disc = new UnitDisc(LANDMARKS, 0.08, 1);
        UnitDisc.Sequences train = disc.sequences(400, 12, 0.02, 0.06, 2);
        v = UnitDisc.moments(train).secondMoment();
        INDArray s = UnitDisc.differenceMoments(train).secondMoment();
        fit = AnalyticEmbedding.fit(v, s, DIM, AnalyticEmbedding.Options.defaults());
    }

    /**
     * Curvature (mean angle between successive differences, degrees) of the held-out trajectories in
     * alpha and in beta = P alpha, and of beta under a random feasible P (same V, same f) as a
     * control. Measured: k = 1 alpha 35.3, beta 16.6, random P 37.2; k = 2 alpha 60.1, beta 26.7,
     * random P 63.3.
     * Asserted: beta at least 10 degrees below alpha at k = 1 and 2, and below the random control.
     */
    @Test
    void shouldStraightenTheTrajectories() {
        UnitDisc.Sequences test = disc.sequences(200, 12, 0.02, 0.06, 3);
        List<INDArray> beta = Embedding.of(fit.p(), 0).embedAll(test.frames());
        List<INDArray> control = Embedding.of(OnlineEmbedding.randomFeasible(DIM, v, 1e-6, 17), 0)
                .embedAll(test.frames());
        StringBuilder line = new StringBuilder("unit disc curvature (degrees), held-out:");
        for (int k : new int[] {1, 2}) {
            double alpha = Curvature.ofFrames(test.frames(), k).meanDegrees();
            double straightened = Curvature.ofFrames(beta, k).meanDegrees();
            double random = Curvature.ofFrames(control, k).meanDegrees();
            line.append(String.format(" k=%d alpha %.1f beta %.1f random-P %.1f;", k, alpha, straightened, random));
            assertTrue(straightened < alpha - 10, "k=" + k + ": beta curvature " + straightened
                    + " is not 10 degrees below alpha's " + alpha);
            assertTrue(straightened < random, "k=" + k + ": beta curvature " + straightened
                    + " is not below the random-P control " + random);
        }
        System.out.println(line);
    }

    /**
     * The rows of P as functions over the landmark positions: row 0 is constant (the codes sum to 1),
     * rows 1 and 2 are close to linear ramps in x and y (the thesis's "second and third rows"),
     * higher rows are not. R^2 of a least-squares fit on (1, x, y). Measured: rows 1, 2: 0.923, 0.920;
     * rows 3, 4: 0.013, 0.029; x, y from rows 1, 2: 0.919, 0.924. Asserted: rows 1, 2 above 0.85; rows 3, 4 below 0.3;
     * and the pair spans the ramps jointly: x and y each regressed on rows (1, 2) with R^2 above 0.85.
     */
    @Test
    void shouldFindLinearRampsAsTheLeadingNonConstantRows() {
        double[][] p = TestArrays.toDouble(fit.p());
        double[][] xy = disc.landmarks;
        double[] r2 = new double[5];
        for (int r = 0; r < 5; r++) {
            r2[r] = DenseReference.rSquared(p[r], xy);
        }
        double[] row0 = p[0];
        double mean = Arrays.stream(row0).average().orElseThrow();
        double spread = Arrays.stream(row0).map(x -> Math.abs(x - mean)).max().orElseThrow();
        double[][] rows12 = new double[LANDMARKS][2];
        for (int j = 0; j < LANDMARKS; j++) {
            rows12[j][0] = p[1][j];
            rows12[j][1] = p[2][j];
        }
        double xFromRows = DenseReference.rSquared(DenseReference.column(xy, 0), rows12);
        double yFromRows = DenseReference.rSquared(DenseReference.column(xy, 1), rows12);
        System.out.printf("unit disc rows of P: R^2 on (1,x,y) rows 0..4 = %s; row 0 mean %.4f max deviation %.2g; "
                + "x, y from rows 1,2: R^2 %.3f, %.3f%n",
                Arrays.toString(Arrays.stream(r2).map(x -> Math.round(x * 1000) / 1000.0).toArray()),
                mean, spread, xFromRows, yFromRows);
        assertTrue(spread < 1e-4 * Math.abs(mean), "row 0 is not constant: mean " + mean + ", deviation " + spread);
        assertTrue(r2[1] > 0.85 && r2[2] > 0.85, "rows 1, 2 are not linear ramps: R^2 " + r2[1] + ", " + r2[2]);
        assertTrue(r2[3] < 0.3 && r2[4] < 0.3, "rows 3, 4 should not be ramps: R^2 " + r2[3] + ", " + r2[4]);
        assertTrue(xFromRows > 0.85 && yFromRows > 0.85,
                "span of rows 1, 2 vs span{x, y}: R^2 " + xFromRows + ", " + yFromRows);
    }

    /**
     * A 1-sparse function (one point's code) is recoverable from its 21 numbers: g(beta) (eq. 3.1)
     * puts its mass where the point is. Centroid of the recovered code vs the point, over 100 points
     * in the disc of radius 0.95. Measured mean distance 0.042 (landmark spacing about 0.1, bump
     * width sigma 0.08); the recovered code itself differs from alpha (mean l1 error 0.73 of 1): as in
     * the thesis the recovery is good "up to a local shift", not exact. Asserted: below 0.08.
     */
    @Test
    void shouldRecoverWhereAPointIsFromItsEmbedding() {
        UnitDisc.Sequences points = disc.sequences(100, 1, 0.0, 0.0, 21);
        INDArray alpha = points.frames().get(0);
        Embedding embedding = Embedding.of(fit.p(), 0);
        INDArray beta = embedding.embed(alpha, Nd4j.create(DataType.FLOAT, new long[] {DIM, 100}, 'f'));
        INDArray recovered = Nd4j.create(DataType.FLOAT, new long[] {LANDMARKS, 100}, 'f');
        new EmbeddingInverse(1e-4, Solver.FISTA, 3000, 1e-7).invert(embedding, beta, recovered, false);
        double[][] a = TestArrays.toDouble(recovered);
        double[][] truth = TestArrays.toDouble(alpha);
        double error = 0;
        double codeError = 0;
        for (int b = 0; b < 100; b++) {
            double mass = 0;
            double cx = 0;
            double cy = 0;
            double[] position = points.positions()[0][b];
            for (int j = 0; j < LANDMARKS; j++) {
                mass += a[j][b];
                cx += a[j][b] * disc.landmarks[j][0];
                cy += a[j][b] * disc.landmarks[j][1];
                codeError += Math.abs(a[j][b] - truth[j][b]);
            }
            error += Math.hypot(cx / mass - position[0], cy / mass - position[1]);
        }
        error /= 100;
        codeError /= 100;
        System.out.printf("unit disc g(beta): mean distance of the recovered centroid from the point %.4f "
                + "(landmark spacing ~0.1), mean l1 error of the code %.3f (code l1 norm 1)%n", error, codeError);
        assertTrue(error < 0.08, "recovered centroid is " + error + " away from the point on average");
    }
}
