package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smtstream.ingest.BundledClip;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelManifest;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.offline.OfflineTrainer;
import picocli.CommandLine;

/**
 * {@code smt train} on the first 150 frames of the bundled clip, fast preset, a checkpoint every 50
 * frames: three versions, each loadable, in a chain, with P after the warm-up, and the SNR of Phi
 * alpha rising from the first checkpoint to the last, both inference's (codes from the state
 * published up to 50 frames earlier) and the learner's (codes under its current Phi). Measured:
 * inference 10.3, 17.0, 17.4 dB; learner 16.7, 18.4, 19.3 dB. About half a minute on two cores.
 */
class TrainIT {

    /** Inference's SNR over the last 50 frames must beat the first 50 by this much (7.1 dB measured). */
    private static final double MIN_INFERENCE_RISE_DB = 4.0;
    /** The learner's likewise (2.6 dB measured: it re-codes under its current Phi, so it starts higher). */
    private static final double MIN_LEARNER_RISE_DB = 1.0;

    @TempDir
    Path dir;

    @Test
    void shouldTrainTheBundledClipIntoLoadableCheckpointsWithRisingSnr() throws Exception {
        Path models = dir.resolve("models");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = SmtCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("train", "--input", BundledClip.path().toString(), "--max-frames", "150",
                "--checkpoint-every", "50", "--model-dir", models.toString());
        assertEquals(0, code, out + "\n" + err);
        System.out.println("TrainIT:\n" + out);

        ModelRepository repo = new ModelRepository(models);
        List<ModelManifest> versions = repo.list();
        assertEquals(List.of(1L, 2L, 3L), versions.stream().map(ModelManifest::version).toList());
        double[] snr = new double[3];
        double[] inference = new double[3];
        for (int i = 0; i < 3; i++) {
            SmtModel model = repo.load(i + 1);
            assertEquals(50L * (i + 1), model.info().framesSeen());
            assertEquals(i == 0 ? ModelInfo.NO_PARENT : i, model.info().parentVersion());
            assertNotNull(model.p(), "v" + (i + 1) + " has P (warm-up is 50 frames)");
            snr[i] = model.info().stat(ModelInfo.SNR_DB);
            inference[i] = model.info().stat(OfflineTrainer.INFERENCE_SNR_DB);
        }
        assertTrue(inference[2] > inference[0] + MIN_INFERENCE_RISE_DB,
                String.format("inference's SNR of Phi alpha per "
                        + "checkpoint %.2f, %.2f, %.2f dB: the last should beat the first by %.1f dB",
                        inference[0], inference[1], inference[2], MIN_INFERENCE_RISE_DB));
        assertTrue(snr[2] > snr[0] + MIN_LEARNER_RISE_DB, String.format("the learner's SNR of Phi alpha per checkpoint "
                + "%.2f, %.2f, %.2f dB: the last should beat the first by %.1f dB", snr[0], snr[1], snr[2],
                MIN_LEARNER_RISE_DB));
        assertTrue(out.toString().contains("v3"), out.toString());
    }
}
