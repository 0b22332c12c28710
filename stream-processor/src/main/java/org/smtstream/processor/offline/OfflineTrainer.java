package org.smtstream.processor.offline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelRepository;
import org.smtstream.processor.layer.FrameInference;
import org.smtstream.processor.layer.LayerModel;
import org.smtstream.processor.layer.OnlineSmtLearner;
import org.smtstream.processor.layer.PublicationGuard;
import org.smtstream.processor.layer.Trajectory;
import org.smtstream.processor.math.analysis.NeedleFit;
import org.smtstream.processor.math.linalg.FiniteMean;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/**
 * Learns an SMT model from recordings without Kafka, doing per frame what the stream processor does:
 * {@link FrameInference} codes the frame (eq. 3.4 around the prediction from the clip's two previous
 * frames) with the newest published state, and {@link OnlineSmtLearner} learns from it (a dictionary
 * step on a sample of patches re-coded under its current Phi, V of inference's codes, one A.1 step of P
 * on the clip's own second differences). Every
 * {@link Options#publishEvery()} frames the learner's state is "published" to inference, as the
 * learner publishes to {@code smt.model} live, with P re-orthonormalized against the current V; every
 * {@link Options#checkpointEvery()} frames, and after the last frame, that state is also saved as a
 * new version in a {@link ModelRepository}.
 *
 * <p>Clips are visited in the order given, frames in temporal order, {@code passes} times; each clip
 * is its own stream (trajectory history starts afresh at its first frame), so no second difference
 * spans two clips or the end and the start of a pass.
 *
 * <p>Blank frames ({@link org.smtstream.model.BlankFrame}) are coded as zeros, cut the clip's
 * trajectory, are not learned from and are left out of the checkpoints' SNRs; each checkpoint counts
 * them ({@link Checkpoint#blankFrames()}).
 *
 * <p>Every checkpoint passes the live learner's guard rail ({@link PublicationGuard}): one whose arrays
 * are not finite, or whose coding objective rose more than {@link Options#divergenceFactor()} times
 * over the last saved one's, is not saved; the learner goes back to the last saved state and the
 * rejection is counted in the next version's info.
 *
 * <p>Not thread-safe (it drives ND4J on the calling thread).
 */
public final class OfflineTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineTrainer.class);

    /**
     * @param passes          passes over all clips, &gt;= 1
     * @param checkpointEvery frames between saved versions, &gt;= 1
     * @param publishEvery    frames between hand-overs of the learner's state to inference, &gt;= 1 (the
     *                        live learner's default is 50)
     * @param deadAtomWindow  dictionary steps without activity before an atom is re-seeded
     * @param divergenceFactor a checkpoint is rejected when its coding objective exceeds this multiple,
     *                        &gt; 1, of the last saved one's
     */
    public record Options(int passes, int checkpointEvery, int publishEvery, int deadAtomWindow,
                          double divergenceFactor) {
        public Options {
            if (passes < 1 || checkpointEvery < 1 || publishEvery < 1 || deadAtomWindow < 1) {
                throw new IllegalArgumentException("Invalid training options: passes " + passes + ", checkpoint every "
                        + checkpointEvery + ", publish every " + publishEvery + ", dead-atom window " + deadAtomWindow
                        + " (all must be >= 1)");
            }
            if (!(divergenceFactor > 1) || !Double.isFinite(divergenceFactor)) {
                throw new IllegalArgumentException("Invalid divergence factor: " + divergenceFactor + " (must be > 1)");
            }
        }

        /**
         * One pass, a checkpoint every 200 frames, publication every 50 and the divergence factor as
         * live, dead atoms after 50 steps.
         */
        public static Options defaults() {
            return new Options(1, 200, 50, 50, PublicationGuard.DEFAULT_DIVERGENCE_FACTOR);
        }

        public Options withPasses(int n) {
            return new Options(n, checkpointEvery, publishEvery, deadAtomWindow, divergenceFactor);
        }

        public Options withCheckpointEvery(int frames) {
            return new Options(passes, frames, publishEvery, deadAtomWindow, divergenceFactor);
        }
    }

    /**
     * One saved version.
     *
     * @param version    its version number in the repository
     * @param framesSeen frames learned from, in all, when it was saved
     * @param snrDb      the learner's mean SNR of Phi alpha (codes under its current Phi) over the frames
     *                   since the last checkpoint, as stored in the version's stats
     * @param inferenceSnrDb the same for inference's codes (eq. 3.4 with the state published up to
     *                   {@link Options#publishEvery()} frames earlier), stored as {@value #INFERENCE_SNR_DB}
     * @param blankFrames blank frames since the last checkpoint ({@link org.smtstream.model.BlankFrame}):
     *                   left out of both SNRs and not learned from, stored as {@link ModelInfo#BLANK_FRAMES}
     * @param path       its directory
     */
    public record Checkpoint(long version, long framesSeen, double snrDb, double inferenceSnrDb, long blankFrames,
                             Path path) {
    }

    /** Stat of a checkpoint: inference's mean SNR of Phi alpha since the previous checkpoint. */
    public static final String INFERENCE_SNR_DB = "inferenceSnrDb";

    /**
     * @param model       the last saved version
     * @param checkpoints every saved version, oldest first
     * @param frames      frames trained on in this run (all passes)
     * @param rejected    checkpoints rejected by the guard rail
     * @param seconds     wall time
     */
    public record Result(SmtModel model, List<Checkpoint> checkpoints, long frames, long rejected, double seconds) {
    }

    private OfflineTrainer() {
    }

    /**
     * Trains from the newest version in {@code repository} when {@code resume} (whose configuration
     * then replaces {@code config}), else from the seeded random dictionary.
     *
     * @param clips reads the recordings for the configuration in use
     * @throws IllegalArgumentException when there is nothing to resume from
     */
    public static Result train(Function<SmtConfig, List<Clip>> clips, SmtConfig config, ModelRepository repository,
                               boolean resume, Options options, Progress progress) throws IOException {
        Nd4jRuntime.logBackend();
        SmtModel start = resume ? repository.latest().orElseThrow(() ->
                new IllegalArgumentException("No version to resume from in " + repository.dir())) : null;
        SmtConfig used = start != null ? start.config() : config;
        List<Clip> read = clips.apply(used);
        try (Progress.Task task = progress.start("Training", frames(read, options))) {
            return train(read, used, start, repository, options, task);
        }
    }

    /** Frames a training run goes through: every clip's, once per pass. */
    public static long frames(List<Clip> clips, Options options) {
        return (long) options.passes() * clips.stream().mapToInt(Clip::size).sum();
    }

    /**
     * Trains.
     *
     * @param clips      the recordings, each frame B x n patch-major for {@code config}'s B and n
     * @param config     the model's configuration
     * @param start      the model to continue from, or null for the seeded random dictionary
     * @param repository where checkpoints go; versions continue after its newest one (and after
     *                   {@code start}'s), none is overwritten
     * @param options    passes and intervals
     * @param progress   called after every frame with the frames done so far in this run
     */
    public static Result train(List<Clip> clips, SmtConfig config, SmtModel start, ModelRepository repository,
                               Options options, LongConsumer progress) throws IOException {
        int frameLength = config.patchDim() * config.patchesPerFrame();
        for (Clip clip : clips) {
            if (clip.frames().get(0).length != frameLength) {
                throw new IllegalArgumentException(clip.name() + " has frames of " + clip.frames().get(0).length
                        + " values; the " + config.name() + " configuration needs " + config.patchesPerFrame()
                        + " patches of " + config.patchDim() + " pixels = " + frameLength);
            }
        }
        Nd4jRuntime.useFloatByDefault();
        long started = System.nanoTime();
        long version = Math.max(repository.newestVersion().orElse(0), start == null ? 0 : start.version());
        OnlineSmtLearner learner = new OnlineSmtLearner(config, start, options.deadAtomWindow());
        FrameInference inference = new FrameInference(config);
        PublicationGuard guard = new PublicationGuard(options.divergenceFactor(), start, 0);
        LayerModel model = start == null ? LayerModel.initial(config) : LayerModel.of(start);
        List<Checkpoint> checkpoints = new ArrayList<>();
        long done = 0;
        long sinceCheckpoint = 0;
        FiniteMean snr = new FiniteMean();   // of inference, since the last checkpoint
        for (int pass = 0; pass < options.passes(); pass++) {
            for (int c = 0; c < clips.size(); c++) {
                String stream = "clip-" + c;
                Trajectory trajectory = new Trajectory();
                List<float[]> frames = clips.get(c).frames();
                for (int t = 0; t < frames.size(); t++) {
                    FrameInference.Result coded = inference.infer(model, frames.get(t), trajectory.previous(),
                            trajectory.beforePrevious(), false);
                    learner.learn(stream, t, frames.get(t), coded.codes());
                    trajectory.advance(coded);
                    snr.add(coded.snrAlphaDb());       // a blank frame's NaN is left out
                    done++;
                    sinceCheckpoint++;
                    boolean last = pass == options.passes() - 1 && c == clips.size() - 1 && t == frames.size() - 1;
                    if (sinceCheckpoint >= options.checkpointEvery() || last) {
                        Optional<String> reason = guard.reject(learner);
                        if (reason.isPresent()) {
                            LOG.warn("Checkpoint after {} frames rejected: {}; back to the last saved state", done,
                                    reason.get());
                            learner = new OnlineSmtLearner(config, guard.lastGood(), options.deadAtomWindow());
                        } else {
                            Checkpoint saved = save(learner, version + 1, guard, repository, snr.mean(),
                                    "offline training, pass " + (pass + 1) + "/" + options.passes());
                            version = saved.version();
                            checkpoints.add(saved);
                        }
                        SmtModel lastSaved = guard.lastGood();
                        model = lastSaved == null ? LayerModel.initial(config) : LayerModel.of(lastSaved);
                        sinceCheckpoint = 0;
                        snr.reset();
                    } else if (done % options.publishEvery() == 0) {
                        learner.refreshConstraint();
                        model = LayerModel.of(learner.snapshot(version, ModelInfo.fresh(System.currentTimeMillis())));
                    }
                    progress.accept(done);
                }
            }
        }
        return new Result(guard.lastGood(), List.copyOf(checkpoints), done, guard.rejected(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Saves the learner's state as {@code version}, the guard's new last good one, and starts the
     * learner's next window.
     *
     * @param inferenceSnrDb inference's mean SNR of Phi alpha since the previous checkpoint
     */
    private static Checkpoint save(OnlineSmtLearner learner, long version, PublicationGuard guard,
                                   ModelRepository repository, double inferenceSnrDb, String note) throws IOException {
        double drift = learner.refreshConstraint();
        long parent = guard.lastGood() == null ? ModelInfo.NO_PARENT : guard.lastGood().version();
        SmtModel saved = NeedleFit.withNeedles(learner.snapshot(version, new ModelInfo(parent,
                System.currentTimeMillis(), learner.frames(), guard.rejected(), note,
                Map.of(INFERENCE_SNR_DB, inferenceSnrDb, ModelInfo.CONSTRAINT_ERROR, drift))));
        Path dir = repository.save(saved);
        guard.accepted(saved);
        learner.resetWindow();
        double learned = saved.info().stat(ModelInfo.SNR_DB);
        long blank = (long) saved.info().stat(ModelInfo.BLANK_FRAMES);
        LOG.info("Checkpoint v{}: {} frames learned, SNR of Phi alpha {} dB (inference {} dB), {} blank frames "
                        + "left out", version, learner.frames(), String.format("%.2f", learned),
                String.format("%.2f", inferenceSnrDb), blank);
        return new Checkpoint(version, learner.frames(), learned, inferenceSnrDb, blank, dir);
    }
}
