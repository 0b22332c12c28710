package org.smtstream.processor.math.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.smtstream.model.FloatMatrix;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.NeedlePlot;
import org.smtstream.model.Needles;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.processor.math.analysis.NeedleFit.Energy;
import org.smtstream.processor.math.analysis.NeedleFit.Needle;
import org.smtstream.processor.testing.TestArrays;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Needles of synthetic atoms with known centre, orientation and length. Angles are in pixel
 * coordinates (x = column, y = row, measured from +x toward +y), compared mod 180.
 */
class NeedleFitTest {

    static final int P = 16;
    /** Gabor envelope: sd along the bars, across them, and the carrier wavelength (pixels). */
    static final double SIGMA_ALONG = 3.0;
    static final double SIGMA_ACROSS = 1.3;
    static final double WAVELENGTH = 4.0;

    /**
     * Measured on these atoms: Gabor centres within 0.06 px, angles within 0.25 deg, lengths within
     * 0.01 px of sqrt(6) sigma_along; bars (length 8, 8x8 supersampled) centres within 0.03 px,
     * angles within 0.4 deg, lengths 7.59 .. 7.94 (antialiased ends). Tolerances are 2x those.
     */
    private static final double CENTRE_TOL = 0.12;
    private static final double ANGLE_TOL = 0.8;
    private static final double GABOR_LENGTH_TOL = 0.03;
    private static final double BAR_LENGTH_TOL = 0.8;

    /** Centre (row, col) and bar orientation (deg) of the test atoms, including both ends of the wrap. */
    private static final double[][] POSES = {
        {7.5, 7.5, 1}, {7.5, 7.5, 179}, {6.2, 8.7, 30}, {8, 7, 90}, {7.3, 7.9, 135}, {7.5, 7.5, 0.3}, {7.5, 7.5, 60},
    };

    /** A unit-norm Gabor: Gaussian envelope elongated along theta, carrier across it. Row-major p x p. */
    static double[] gabor(double cy, double cx, double thetaDegrees, double sigmaAlong, double phase) {
        double[] v = new double[P * P];
        double t = Math.toRadians(thetaDegrees);
        double norm = 0;
        for (int r = 0; r < P; r++) {
            for (int c = 0; c < P; c++) {
                double dx = c - cx;
                double dy = r - cy;
                double u = dx * Math.cos(t) + dy * Math.sin(t);           // along the bar
                double w = -dx * Math.sin(t) + dy * Math.cos(t);          // across
                double envelope = Math.exp(-(u * u / (2 * sigmaAlong * sigmaAlong)
                        + w * w / (2 * SIGMA_ACROSS * SIGMA_ACROSS)));
                double g = envelope * Math.cos(2 * Math.PI * w / WAVELENGTH + phase);
                v[r * P + c] = g;
                norm += g * g;
            }
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= Math.sqrt(norm);
        }
        return v;
    }

    /** A bar: a uniform segment of the given length along theta with a Gaussian cross-section, supersampled 8x8. */
    static double[] bar(double cy, double cx, double thetaDegrees, double length) {
        double[] v = new double[P * P];
        double t = Math.toRadians(thetaDegrees);
        int ss = 8;
        for (int r = 0; r < P; r++) {
            for (int c = 0; c < P; c++) {
                double s = 0;
                for (int a = 0; a < ss; a++) {
                    for (int b = 0; b < ss; b++) {
                        double dx = c - 0.5 + (b + 0.5) / ss - cx;
                        double dy = r - 0.5 + (a + 0.5) / ss - cy;
                        double u = dx * Math.cos(t) + dy * Math.sin(t);
                        double w = -dx * Math.sin(t) + dy * Math.cos(t);
                        if (Math.abs(u) <= length / 2) {
                            s += Math.exp(-w * w / (2 * 0.6 * 0.6));
                        }
                    }
                }
                v[r * P + c] = s / (ss * ss);
            }
        }
        return v;
    }

    static INDArray columns(double[]... atoms) {
        double[][] m = new double[P * P][atoms.length];
        for (int j = 0; j < atoms.length; j++) {
            for (int i = 0; i < P * P; i++) {
                m[i][j] = atoms[j][i];
            }
        }
        return TestArrays.toNd4j(m);
    }

    private static void assertPose(double[] pose, Needle needle, String what) {
        assertEquals(pose[0], needle.centreRow(), CENTRE_TOL, what + ": centre row");
        assertEquals(pose[1], needle.centreCol(), CENTRE_TOL, what + ": centre column");
        double error = NeedleFit.angleDifference(pose[2], needle.angleDegrees());
        assertTrue(error <= ANGLE_TOL,
                what + ": angle " + needle.angleDegrees() + " vs " + pose[2] + ", error " + error);
        assertTrue(needle.angleDegrees() >= 0 && needle.angleDegrees() < 180, what + ": angle in [0, 180)");
    }

    @Test
    void shouldRecoverCentreOrientationAndLengthOfGaborAtoms() {
        double[][] atoms = new double[POSES.length][];
        for (int i = 0; i < POSES.length; i++) {
            atoms[i] = gabor(POSES[i][0], POSES[i][1], POSES[i][2], SIGMA_ALONG, 0.4);
        }
        INDArray phi = columns(atoms);
        double expectedLength = Math.sqrt(6) * SIGMA_ALONG;           // 2 sqrt(3 sigma^2 / 2) for the squared envelope
        for (Energy energy : Energy.values()) {
            Needle[] needles = NeedleFit.fit(phi, P, energy);
            for (int i = 0; i < POSES.length; i++) {
                String what = energy + " Gabor " + i + " at " + POSES[i][2] + " deg";
                assertPose(POSES[i], needles[i], what);
                assertEquals(expectedLength, needles[i].length(), GABOR_LENGTH_TOL, what + ": length");
                double spectral = NeedleFit.angleDifference(POSES[i][2], needles[i].spectralAngleDegrees());
                assertTrue(spectral <= ANGLE_TOL, what + ": spectral angle " + needles[i].spectralAngleDegrees());
                assertTrue(needles[i].elongation() > 2, what + ": elongation " + needles[i].elongation());
                assertEquals(i, needles[i].atom());
            }
        }
    }

    @Test
    void shouldRecoverCentreOrientationAndLengthOfBars() {
        double length = 8.0;
        double[][] atoms = new double[POSES.length][];
        for (int i = 0; i < POSES.length; i++) {
            atoms[i] = bar(POSES[i][0], POSES[i][1], POSES[i][2], length);
        }
        Needle[] needles = NeedleFit.fit(columns(atoms), P, Energy.SQUARED);
        for (int i = 0; i < POSES.length; i++) {
            String what = "bar " + i + " at " + POSES[i][2] + " deg";
            assertPose(POSES[i], needles[i], what);
            assertEquals(length, needles[i].length(), BAR_LENGTH_TOL, what + ": length 2 sqrt(3 lambda_max)");
            assertTrue(needles[i].width() < 2.5, what + ": width " + needles[i].width());
        }
    }

    @Test
    void shouldScaleLengthWithTheEnvelopeAndKeepTheSpectralAngleOfARoundAtom() {
        Needle[] needles = NeedleFit.fit(columns(gabor(7.5, 7.5, 50, 2.0, 0), gabor(7.5, 7.5, 50, 1.3, 0),
                gabor(7.5, 7.5, 40, 4.0, 0)), P, Energy.ENVELOPE);
        // sigma_along = 1.3 = sigma_across: a round envelope, no principal axis, but the carrier still has an
        // orientation.
        assertTrue(needles[1].elongation() < 1.02, "round envelope, elongation " + needles[1].elongation());
        assertTrue(NeedleFit.angleDifference(50, needles[1].spectralAngleDegrees()) < ANGLE_TOL,
                "spectral angle of the round Gabor " + needles[1].spectralAngleDegrees());
        assertEquals(Math.sqrt(6) * 2.0, needles[0].length(), 0.05, "length of sigma 2");
        assertEquals(Math.sqrt(6) * 4.0, needles[2].length(), 0.3,
                "length of sigma 4 (slightly truncated by the patch)");
    }

    @Test
    void shouldRateGaussianAtomsAboveNoise() {
        SplittableRandom random = new SplittableRandom(71);
        double[] noise = new double[P * P];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = TestArrays.gaussian(random);
        }
        Needle[] needles = NeedleFit.fit(columns(gabor(7, 8, 20, SIGMA_ALONG, 0.2), noise, new double[P * P]), P,
                Energy.ENVELOPE);
        assertTrue(needles[0].quality() > 0.99, "Gabor envelope fits a Gaussian: quality " + needles[0].quality());
        assertTrue(needles[1].quality() < 0.8, "white noise does not: quality " + needles[1].quality());
        assertTrue(Double.isNaN(needles[2].length()) && needles[2].quality() == 0,
                "a zero atom has no needle: " + needles[2]);
    }

    @Test
    void shouldDrawAGaborAsANeedleThroughItsCentreAlongItsBars() throws Exception {
        double[][] poses = {{6.2, 8.7, 30}, {8, 7, 120}};
        INDArray phi = columns(gabor(poses[0][0], poses[0][1], poses[0][2], SIGMA_ALONG, 0.4),
                gabor(poses[1][0], poses[1][1], poses[1][2], SIGMA_ALONG, 1.1), new double[P * P]);
        Needles drawn = NeedleFit.drawn(phi, P);
        String svg = NeedlePlot.grid(drawn, P, new int[] {0, 1, 2}, 3, true, 1).markup();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        NodeList lines = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(
                StandardCharsets.UTF_8))).getElementsByTagName("line");
        assertEquals(2, lines.getLength(), "the zero atom has no needle");
        for (int i = 0; i < 2; i++) {
            Element line = (Element) lines.item(i);
            double x1 = Double.parseDouble(line.getAttribute("x1"));
            double y1 = Double.parseDouble(line.getAttribute("y1"));
            double x2 = Double.parseDouble(line.getAttribute("x2"));
            double y2 = Double.parseDouble(line.getAttribute("y2"));
            String what = "Gabor " + i;
            assertEquals(poses[i][1] + 0.5, (x1 + x2) / 2, CENTRE_TOL, what + ": x of the centre in its box");
            assertEquals(poses[i][0] + 0.5, (y1 + y2) / 2, CENTRE_TOL, what + ": y of the centre in its box");
            double angle = Math.toDegrees(Math.atan2(y2 - y1, x2 - x1));
            assertTrue(NeedleFit.angleDifference(poses[i][2], angle) <= ANGLE_TOL, what + ": drawn at " + angle);
            assertEquals(Math.sqrt(6) * SIGMA_ALONG, Math.hypot(x2 - x1, y2 - y1), GABOR_LENGTH_TOL, what);
            assertEquals(Integer.toString(i), line.getAttribute("data-atom"));
        }
    }

    @Test
    void shouldGiveAModelTheNeedlesOfItsDictionaryKeepingItFinite() {
        SmtConfig config = SmtConfig.fast().with(Map.of("patchSize", Integer.toString(P), "stride",
                Integer.toString(P), "dictionarySize", "2", "embeddingDim", "1"));
        double[] atom = gabor(7, 9, 60, SIGMA_ALONG, 0.3);
        float[] phi = new float[P * P * 2];
        for (int i = 0; i < P * P; i++) {
            phi[i * 2] = (float) atom[i];
        }
        SmtModel model = NeedleFit.withNeedles(new SmtModel(3, config, new FloatMatrix(P * P, 2, phi), null, null,
                null, ModelInfo.fresh(0)));
        Needles needles = new Needles(model.needles());
        assertEquals(7, needles.centreRow(0), CENTRE_TOL);
        assertEquals(9, needles.centreCol(0), CENTRE_TOL);
        assertTrue(NeedleFit.angleDifference(60, needles.angleDegrees(0)) <= ANGLE_TOL, "" + needles.angleDegrees(0));
        assertFalse(needles.defined(1), "the zero atom");
        assertTrue(model.needles().isFinite());
    }

    @Test
    void shouldCompareAnglesModuloOneHundredEighty() {
        assertEquals(2.0, NeedleFit.angleDifference(179, 1), 1e-12);
        assertEquals(90.0, NeedleFit.angleDifference(0, 90), 1e-12);
        assertEquals(0.0, NeedleFit.angleDifference(-10, 170), 1e-12);
        assertEquals(30.0, NeedleFit.angleDifference(370, 160), 1e-12);
        assertEquals(0.0, NeedleFit.wrap(180.0), 0.0);
        assertEquals(179.5, NeedleFit.wrap(-0.5), 1e-12);
    }
}
