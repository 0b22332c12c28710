package org.smtstream.processor.offline.evaluation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.processor.math.analysis.Curvature;
import org.smtstream.processor.math.embedding.AnalyticEmbedding;
import org.smtstream.processor.math.embedding.Embedding;
import org.smtstream.processor.math.embedding.OnlineEmbedding;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * Thesis figure 3.2A, the functional embedding on the unit disc: 300 landmarks, points moving along
 * straight lines coded by local bumps ({@link UnitDisc}), and P of eq. 3.3 with f = 21 fitted on
 * 400 training sequences of 12 frames. The rows of P, drawn on the landmarks, should look like
 * low-order Zernike-like functions on the disc. On 200 held-out sequences the curvature at k = 1 of
 * alpha, of beta = P alpha and of a random feasible P (same V, same f) says whether P straightens
 * (measured figures in stream-processor/EVALUATION.md).
 *
 * @param landmarks       N x 2 positions on the disc
 * @param rows            P, f x N
 * @param curvatureAlpha  held-out curvature of alpha, degrees
 * @param curvatureBeta   of beta
 * @param curvatureRandom of a random feasible P's embedding
 */
public record UnitDiscDemo(double[][] landmarks, double[][] rows, double curvatureAlpha, double curvatureBeta,
                           double curvatureRandom) {

    public static final int LANDMARKS = 300;
    public static final int DIM = 21;

    /** Fits and measures (about a second). */
    public static UnitDiscDemo run() {
        Nd4jRuntime.useFloatByDefault();
        UnitDisc disc = new UnitDisc(LANDMARKS, 0.08, 1);
        UnitDisc.Sequences train = disc.sequences(400, 12, 0.02, 0.06, 2);
        INDArray v = UnitDisc.moments(train).secondMoment();
        INDArray s = UnitDisc.differenceMoments(train).secondMoment();
        INDArray p = AnalyticEmbedding.fit(v, s, DIM, AnalyticEmbedding.Options.defaults()).p();
        UnitDisc.Sequences test = disc.sequences(200, 12, 0.02, 0.06, 3);
        double[][] landmarks = new double[LANDMARKS][];
        for (int j = 0; j < LANDMARKS; j++) {
            landmarks[j] = disc.landmark(j);
        }
        return new UnitDiscDemo(landmarks, p.castTo(DataType.DOUBLE).toDoubleMatrix(),
                Curvature.ofFrames(test.frames(), 1).meanDegrees(),
                Curvature.ofFrames(Embedding.of(p, 0).embedAll(test.frames()), 1).meanDegrees(),
                Curvature.ofFrames(Embedding.of(OnlineEmbedding.randomFeasible(DIM, v, 1e-6, 17), 0)
                        .embedAll(test.frames()), 1).meanDegrees());
    }
}
