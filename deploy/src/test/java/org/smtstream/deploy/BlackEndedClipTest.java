package org.smtstream.deploy;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.model.Json;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.offline.OfflineTrainer;
import org.smtstream.processor.offline.report.EvaluationReport;

/**
 * A recording that starts and ends black, as many do, through the offline commands: {@code smt train}
 * on all of it, and {@code smt evaluate}, which reads it as ingest prepares it, trains on its first
 * 70 % as {@code smt train} does and evaluates the rest. The black frames of each part are counted
 * exactly and every statistic stays finite. Small frames (32 x 32, 8 x 8 patches) keep it to seconds.
 */
class BlackEndedClipTest {

    private static final int BLACK_BEFORE = 3;
    private static final int MOVING = 40;
    private static final int BLACK_AFTER = 2;
    private static final String[] CONFIG = {"--preset", "fast", "--set", "frameSize=32", "--set", "patchSize=8",
        "--set", "stride=8", "--set", "dictionarySize=48", "--set", "embeddingDim=4", "--set", "embeddingWarmup=5"};

    @TempDir
    static Path dir;

    private static Path clip;

    /**
     * Black frames, then a drifting grating, then black again, as a numbered PNG sequence (a recording
     * the sources read with OpenCV; exact pixels, so the black frames are exactly black).
     */
    @BeforeAll
    static void writeClip() {
        Path frames = dir.resolve("frames");
        frames.toFile().mkdirs();
        int side = 96;
        for (int t = 0; t < BLACK_BEFORE + MOVING + BLACK_AFTER; t++) {
            boolean black = t < BLACK_BEFORE || t >= BLACK_BEFORE + MOVING;
            try (Mat image = new Mat(side, side, CV_8UC3, Scalar.all(0))) {
                if (!black) {
                    grating(image, t);
                }
                imwrite(frames.resolve(String.format("img_%04d.png", t)).toString(), image);
            }
        }
        clip = frames.resolve("img_%04d.png");
    }

    private static void grating(Mat image, int t) {
        try (UByteIndexer pixels = image.createIndexer()) {
            for (int y = 0; y < image.rows(); y++) {
                for (int x = 0; x < image.cols(); x++) {
                    double v = Math.sin(0.35 * x + 0.2 * y + 0.4 * t) + 0.5 * Math.sin(0.15 * x - 0.3 * y - 0.25 * t);
                    int gray = (int) Math.round(128 + 80 * v);
                    for (int c = 0; c < 3; c++) {
                        pixels.put(y, x, c, gray);
                    }
                }
            }
        }
    }

    private static String[] args(String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(CONFIG));
        return all.toArray(String[]::new);
    }

    @Test
    void smtTrainCountsTheBlackFramesAndLearnsOnlyFromTheOthers() throws Exception {
        Path models = dir.resolve("models");
        CapturedCommand smt = new CapturedCommand();
        assertEquals(0, smt.run(args("train", "--input", clip.toString(), "--model-dir", models.toString(),
                "--checkpoint-every", "1000")), smt.err());

        SmtModel model = new ModelRepository(models).latest().orElseThrow();
        assertEquals(MOVING, model.info().framesSeen(), "only the frames with content are learned");
        assertEquals(BLACK_BEFORE + BLACK_AFTER, model.info().stat(ModelInfo.BLANK_FRAMES));
        assertTrue(Double.isFinite(model.info().stat(ModelInfo.SNR_DB)), model.info().stats().toString());
        assertTrue(Double.isFinite(model.info().stat(OfflineTrainer.INFERENCE_SNR_DB)),
                model.info().stats().toString());
        assertTrue(model.phi().isFinite() && model.p().isFinite() && model.v().isFinite(), "a finite model");
        String row = smt.out().lines().filter(l -> l.trim().startsWith("v1 ")).findFirst().orElseThrow();
        assertTrue(row.trim().endsWith(" " + (BLACK_BEFORE + BLACK_AFTER)), "blank column: " + smt.out());
        assertFalse(row.contains("NaN"), row);
    }

    @Test
    void smtEvaluateCountsTheBlackFramesOfTheTrainingAndTheHeldOutPartAndReportsOnlyFiniteNumbers() throws Exception {
        Path out = dir.resolve("evaluation");
        CapturedCommand smt = new CapturedCommand();
        assertEquals(0, smt.run(args("evaluate", "--input", clip.toString(), "--out", out.toString(),
                "--layers", "1", "--no-protocol")), smt.err());

        JsonNode report = Json.readTree(Files.readString(out.resolve(EvaluationReport.JSON)));
        int frames = BLACK_BEFORE + MOVING + BLACK_AFTER;
        int heldOut = frames - (int) Math.floor(0.7 * frames);
        assertEquals(heldOut, report.get("frames").asInt());
        assertEquals(BLACK_AFTER, report.get("blankFrames").asInt(), "the black frames at the end are held out");
        for (String field : List.of("snrAlphaDb", "snrInverseDb", "activeFraction")) {
            assertTrue(report.get(field).isNumber(), field + " is a number, not null: " + report.get(field));
        }
        for (JsonNode curve : report.get("curvature")) {
            assertFalse(curve.toString().contains("null"), "every curvature is defined: " + curve);
        }
        assertFalse(smt.out().contains("NaN"), smt.out());

        // the model it trained on the first 70 %, as smt train does: the leading black frames counted, not learned
        SmtModel model = new ModelRepository(out.resolve("model")).latest().orElseThrow();
        int trained = frames - heldOut;
        assertEquals(trained - BLACK_BEFORE, model.info().framesSeen(), "only the frames with content are learned");
        assertEquals(BLACK_BEFORE, model.info().stat(ModelInfo.BLANK_FRAMES));
        assertTrue(Double.isFinite(model.info().stat(ModelInfo.SNR_DB)), model.info().stats().toString());
        assertTrue(Double.isFinite(model.info().stat(OfflineTrainer.INFERENCE_SNR_DB)),
                model.info().stats().toString());
        assertTrue(model.phi().isFinite() && model.p().isFinite() && model.v().isFinite(), "a finite model");
    }
}
