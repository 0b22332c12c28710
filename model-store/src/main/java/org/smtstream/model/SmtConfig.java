package org.smtstream.model;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hyper-parameters of one SMT deployment: preprocessing, sparse coding, dictionary learning and
 * embedding. One typed value shared by every module; named presets give the two supported
 * configurations, and {@link #toProperties()} / {@link #of(Properties)} round-trip it through
 * {@code smt.*} keys (model manifests, config files, {@code --set key=value} overrides).
 *
 * @param name             preset name this configuration derives from
 * @param frameSize        S: frames are centre-cropped and downsampled to S x S
 * @param patchSize        p: patches are p x p, so a patch has n = p*p pixels
 * @param stride           distance between patch origins
 * @param whitenR0         r0 of the whitening mask w(r) = r exp(-(r/r0)^4), in cycles per frame
 * @param dictionarySize   N: number of dictionary atoms
 * @param embeddingDim     f: rows of the embedding P
 * @param lambda           l1 weight of positive sparse coding (eq. 2.4), in units of whitened pixels
 * @param solver           ACTIVE_SET (the default), FISTA or ISTA
 * @param maxIterations    iteration cap of the sparse coder (for ACTIVE_SET: of its inner iterations, a
 *                         safety net behind the duality-gap test)
 * @param tolerance        FISTA/ISTA: stop when ||a_k - a_{k-1}|| / ||a_k|| falls below this;
 *                         ACTIVE_SET: stop when the duality gap of the batch, relative to its objective,
 *                         falls below this (a certificate: the objective is then within this fraction
 *                         of the optimum)
 * @param dictionaryRate   eta of the online dictionary step Phi += eta (X - Phi A) A^T / batch
 * @param gamma0           weight of the manifold term of eq. 3.4 (0 = plain sparse coding) and of the
 *                         straightness term of the embedding objective (appendix A.1)
 * @param gamma1           weight of the sparsity term gamma1 ||P W||_1 of the embedding objective (A.1)
 * @param embeddingRate    eta_P of the online embedding step (A.1)
 * @param embeddingWarmup  frames the learner accumulates V before it starts learning P
 * @param embeddingRefitEvery frames between exact solves of eq. 3.3 on the learner's running S and V,
 *                         which the A.1 steps continue from (0: A.1 steps only)
 * @param inverseLambdaFraction l1 weight of the inverse g(beta) (eq. 3.1, 1/2 convention) as a fraction of
 *                         each patch's lambda_max = max_j (p_j^T beta / ||p_j||)_+, the smallest weight
 *                         whose g(beta) is 0; so the same for a recording of any contrast
 * @param inverseIterations iteration cap of the inverse g(beta), behind its stopping test
 * @param recodeEvery      k: of each frame, the learner re-codes one patch in k under its current Phi
 *                         (rotating over the locations) and takes its dictionary step, and measures its
 *                         coding objective, on those; 1 = every patch, whose codes then also feed V, S
 *                         and P (with k &gt; 1 those take inference's codes)
 * @param randomSeed       seed of random initialisations
 */
public record SmtConfig(
        String name,
        int frameSize,
        int patchSize,
        int stride,
        double whitenR0,
        int dictionarySize,
        int embeddingDim,
        double lambda,
        Solver solver,
        int maxIterations,
        double tolerance,
        double dictionaryRate,
        double gamma0,
        double gamma1,
        double embeddingRate,
        int embeddingWarmup,
        int embeddingRefitEvery,
        double inverseLambdaFraction,
        int inverseIterations,
        int recodeEvery,
        long randomSeed) {

    /**
     * Sparse coding algorithm. ACTIVE_SET works on a cached Gram matrix and the atoms that can be
     * active, and stops on the duality gap; FISTA and ISTA run the dense proximal gradient (the
     * reference the active-set solver is checked against) and stop on the relative change.
     */
    public enum Solver { FISTA, ISTA, ACTIVE_SET }

    public static final String PREFIX = "smt.";
    /** The presets' weight of the manifold term (see stream-processor/README.md for how it was chosen). */
    private static final double GAMMA0 = 0.1;
    /**
     * The presets' stopping rule: relative duality gap 0.1. The gap of the solver's dual point bounds
     * the objective's distance to the optimum from above and is one to two orders of magnitude larger
     * than it on learned dictionaries, so this stops at an objective gap of about 1e-3 (measured in
     * stream-processor/BENCHMARKS.md; 0.25 was faster but cost inference 2 dB of SNR while a model
     * was young).
     */
    private static final double ACTIVE_SET_TOLERANCE = 0.1;
    /**
     * The presets' g(beta): lambda a fraction 0.005 of each patch's lambda_max, the fraction the bundled
     * clip's training frames pick from 0.005-0.5; at most 300 iterations (stream-processor/EVALUATION.md).
     */
    private static final double INVERSE_LAMBDA_FRACTION = 0.005;
    private static final int INVERSE_ITERATIONS = 300;
    /**
     * Keys added after models were first stored: a stored description without them (an older manifest)
     * is still complete and takes the fast preset's values for them.
     */
    private static final Set<String> LATER_KEYS = Set.of(PREFIX + "inverseLambdaFraction",
            PREFIX + "inverseIterations", PREFIX + "recodeEvery");
    /**
     * Keys that no longer exist, with what replaced them. A stored description (a manifest) that carries
     * one still loads: these only set how the model is read out, not what it learned, so the current
     * default applies. A partial description (a config file, {@code --set}) that sets one is rejected
     * with this message, since its value would mean something else under the new key.
     */
    private static final Map<String, String> RETIRED_KEYS = Map.of(PREFIX + "inverseLambda",
            PREFIX + "inverseLambda (an absolute l1 weight in units of beta) was replaced by " + PREFIX
                    + "inverseLambdaFraction, a fraction in [0, 1] of each patch's lambda_max");
    /** The presets re-code every patch (see stream-processor/README.md for why). */
    private static final int RECODE_EVERY = 1;

    public SmtConfig {
        require(name != null && !name.isBlank(), "Invalid preset name: " + name);
        require(frameSize >= 8, "Invalid frame size: " + frameSize + " (must be >= 8)");
        require(patchSize >= 2 && patchSize <= frameSize,
                "Invalid patch size: " + patchSize + " (must be in [2, frame size " + frameSize + "])");
        require(stride >= 1 && stride <= frameSize, "Invalid stride: " + stride);
        require(whitenR0 > 0 && Double.isFinite(whitenR0), "Invalid whitening r0: " + whitenR0);
        require(dictionarySize >= 1, "Invalid dictionary size: " + dictionarySize);
        require(embeddingDim >= 1 && embeddingDim <= dictionarySize,
                "Invalid embedding dimension: " + embeddingDim + " (must be in [1, dictionary size "
                        + dictionarySize + "])");
        require(lambda >= 0 && Double.isFinite(lambda), "Invalid lambda: " + lambda);
        require(solver != null, "Invalid solver: null");
        require(maxIterations >= 1, "Invalid max iterations: " + maxIterations);
        require(tolerance >= 0 && Double.isFinite(tolerance), "Invalid tolerance: " + tolerance);
        require(dictionaryRate >= 0 && Double.isFinite(dictionaryRate), "Invalid dictionary rate: " + dictionaryRate);
        require(gamma0 >= 0 && Double.isFinite(gamma0), "Invalid gamma0: " + gamma0);
        require(gamma1 >= 0 && Double.isFinite(gamma1), "Invalid gamma1: " + gamma1);
        require(embeddingRate > 0 && Double.isFinite(embeddingRate), "Invalid embedding rate: " + embeddingRate);
        require(embeddingWarmup >= 1, "Invalid embedding warm-up: " + embeddingWarmup + " frames (must be >= 1)");
        require(embeddingRefitEvery >= 0, "Invalid embedding refit interval: " + embeddingRefitEvery
                + " frames (must be >= 0; 0 = never)");
        require(inverseLambdaFraction >= 0 && inverseLambdaFraction <= 1, "Invalid inverse lambda fraction: "
                + inverseLambdaFraction + " (must be in [0, 1]: a fraction of lambda_max)");
        require(inverseIterations >= 1, "Invalid inverse iterations: " + inverseIterations + " (must be >= 1)");
        require(recodeEvery >= 1, "Invalid re-coding interval: " + recodeEvery
                + " patches (must be >= 1; 1 = every patch)");
    }

    /** Real time on two CPU cores: 16x16 patches, N = 1024, f = 64. */
    public static SmtConfig fast() {
        return new SmtConfig("fast", 128, 16, 16, 48.0, 1024, 64, 0.3, Solver.ACTIVE_SET, 60, ACTIVE_SET_TOLERANCE,
                0.2, GAMMA0, 0.0, 0.05, 50, 50, INVERSE_LAMBDA_FRACTION, INVERSE_ITERATIONS, RECODE_EVERY, 42L);
    }

    /** The thesis's configuration: 20x20 patches, N = 4000 (10x overcomplete), f = 200. */
    public static SmtConfig seed() {
        return new SmtConfig("seed", 128, 20, 20, 48.0, 4000, 200, 0.3, Solver.ACTIVE_SET, 150, ACTIVE_SET_TOLERANCE,
                0.2, GAMMA0, 0.0, 0.05, 50, 500, INVERSE_LAMBDA_FRACTION, INVERSE_ITERATIONS, RECODE_EVERY, 42L);
    }

    /** A named preset: {@code fast} or {@code seed}. */
    public static SmtConfig preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fast" -> fast();
            case "seed" -> seed();
            default -> throw new IllegalArgumentException("Unknown preset: '" + name + "' (expected fast or seed)");
        };
    }

    /** n = p*p, the dimension of a patch. */
    public int patchDim() {
        return patchSize * patchSize;
    }

    /** Where the patches of a frame lie: S, p and the stride. */
    public PatchGeometry geometry() {
        return new PatchGeometry(frameSize, patchSize, stride);
    }

    /** Patch origins per row (and per column) of a frame. */
    public int patchesPerSide() {
        return geometry().side();
    }

    /** Patches cut from one frame. */
    public int patchesPerFrame() {
        return geometry().patchCount();
    }

    /** {@code smt.*} keys for every field; {@link #of(Properties)} reads them back. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty(PREFIX + "preset", name);
        p.setProperty(PREFIX + "frameSize", Integer.toString(frameSize));
        p.setProperty(PREFIX + "patchSize", Integer.toString(patchSize));
        p.setProperty(PREFIX + "stride", Integer.toString(stride));
        p.setProperty(PREFIX + "whitenR0", Double.toString(whitenR0));
        p.setProperty(PREFIX + "dictionarySize", Integer.toString(dictionarySize));
        p.setProperty(PREFIX + "embeddingDim", Integer.toString(embeddingDim));
        p.setProperty(PREFIX + "lambda", Double.toString(lambda));
        p.setProperty(PREFIX + "solver", solver.name());
        p.setProperty(PREFIX + "maxIterations", Integer.toString(maxIterations));
        p.setProperty(PREFIX + "tolerance", Double.toString(tolerance));
        p.setProperty(PREFIX + "dictionaryRate", Double.toString(dictionaryRate));
        p.setProperty(PREFIX + "gamma0", Double.toString(gamma0));
        p.setProperty(PREFIX + "gamma1", Double.toString(gamma1));
        p.setProperty(PREFIX + "embeddingRate", Double.toString(embeddingRate));
        p.setProperty(PREFIX + "embeddingWarmup", Integer.toString(embeddingWarmup));
        p.setProperty(PREFIX + "embeddingRefitEvery", Integer.toString(embeddingRefitEvery));
        p.setProperty(PREFIX + "inverseLambdaFraction", Double.toString(inverseLambdaFraction));
        p.setProperty(PREFIX + "inverseIterations", Integer.toString(inverseIterations));
        p.setProperty(PREFIX + "recodeEvery", Integer.toString(recodeEvery));
        p.setProperty(PREFIX + "randomSeed", Long.toString(randomSeed));
        return p;
    }

    /**
     * Reads {@code smt.*} keys: {@code smt.preset} picks the base (default {@code fast}), every other
     * key overrides one field. Unknown {@code smt.*} keys and unparsable values are rejected.
     */
    public static SmtConfig of(Properties props) {
        String name = props.getProperty(PREFIX + "preset", "fast");
        Properties all = fast().toProperties();
        Set<String> required = new HashSet<>(all.stringPropertyNames());
        required.removeAll(LATER_KEYS);
        boolean complete = props.stringPropertyNames().containsAll(required);
        // a partial description derives from a named preset; a complete one (a manifest) may carry any name
        if (!complete) {
            all = preset(name).toProperties();
        }
        for (String key : props.stringPropertyNames()) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            if (RETIRED_KEYS.containsKey(key)) {
                if (complete) {
                    continue;
                }
                throw new IllegalArgumentException(RETIRED_KEYS.get(key));
            }
            if (!all.containsKey(key)) {
                throw new IllegalArgumentException("Unknown configuration key: '" + key + "' (known: "
                        + String.join(", ", new TreeSet<>(all.stringPropertyNames())) + ")");
            }
            all.setProperty(key, props.getProperty(key).trim());
        }
        return new SmtConfig(
                all.getProperty(PREFIX + "preset"),
                parseInt(all, "frameSize"),
                parseInt(all, "patchSize"),
                parseInt(all, "stride"),
                parseDouble(all, "whitenR0"),
                parseInt(all, "dictionarySize"),
                parseInt(all, "embeddingDim"),
                parseDouble(all, "lambda"),
                parseSolver(all.getProperty(PREFIX + "solver")),
                parseInt(all, "maxIterations"),
                parseDouble(all, "tolerance"),
                parseDouble(all, "dictionaryRate"),
                parseDouble(all, "gamma0"),
                parseDouble(all, "gamma1"),
                parseDouble(all, "embeddingRate"),
                parseInt(all, "embeddingWarmup"),
                parseInt(all, "embeddingRefitEvery"),
                parseDouble(all, "inverseLambdaFraction"),
                parseInt(all, "inverseIterations"),
                parseInt(all, "recodeEvery"),
                parseLong(all, "randomSeed"));
    }

    /** This configuration with {@code key=value} overrides applied (keys with or without {@code smt.}). */
    public SmtConfig with(Map<String, String> overrides) {
        Properties p = toProperties();
        overrides.forEach((k, v) -> {
            String key = k.startsWith(PREFIX) ? k : PREFIX + k;
            if (RETIRED_KEYS.containsKey(key)) {
                throw new IllegalArgumentException(RETIRED_KEYS.get(key));
            }
            p.setProperty(key, v);
        });
        return of(p);
    }

    private static Solver parseSolver(String value) {
        try {
            return Solver.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid solver: '" + value + "' (expected one of "
                    + Arrays.toString(Solver.values()) + ")");
        }
    }

    private static int parseInt(Properties p, String field) {
        String v = p.getProperty(PREFIX + field);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + PREFIX + field + ": '" + v + "' (expected an integer)");
        }
    }

    private static long parseLong(Properties p, String field) {
        String v = p.getProperty(PREFIX + field);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + PREFIX + field + ": '" + v + "' (expected an integer)");
        }
    }

    private static double parseDouble(Properties p, String field) {
        String v = p.getProperty(PREFIX + field);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + PREFIX + field + ": '" + v + "' (expected a number)");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
