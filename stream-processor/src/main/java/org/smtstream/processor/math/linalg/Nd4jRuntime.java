package org.smtstream.processor.math.linalg;

import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide ND4J set-up: FLOAT as the default data type (set once), the backend line, and how many
 * threads each calling thread may use.
 *
 * <p>Every array in this package is also created with an explicit {@link DataType#FLOAT}, so the
 * default only matters for arrays ND4J creates on its own; mixed FLOAT/DOUBLE operands are not
 * promoted in ND4J M2.1 and fail (ARCHITECTURE.md, trap T5).
 */
public final class Nd4jRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jRuntime.class);
    private static final AtomicBoolean FLOAT_DEFAULT_SET = new AtomicBoolean();
    private static final AtomicBoolean BACKEND_LOGGED = new AtomicBoolean();

    private Nd4jRuntime() {
    }

    /** Makes FLOAT ND4J's default data type; only the first call in a JVM changes anything. */
    public static void useFloatByDefault() {
        if (FLOAT_DEFAULT_SET.compareAndSet(false, true)) {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    /**
     * Loads ND4J's backend (if not yet loaded) and logs in one line which one runs and whether it
     * is a fallback from a requested CUDA backend ({@link BackendSelection}); only the first call in
     * a JVM logs.
     *
     * @return what was requested and what runs
     */
    public static BackendSelection logBackend() {
        BackendSelection selection = BackendSelection.decide(BackendSelection.request(),
                BackendSelection.cudaOnClasspath(), Nd4j.getBackend().getClass().getName());
        if (BACKEND_LOGGED.compareAndSet(false, true)) {
            if (selection.fallback()) {
                LOG.warn(selection.message());
            } else {
                LOG.info(selection.message());
            }
            String waitPolicy = ompWaitPolicyWarning(System.getenv("OMP_WAIT_POLICY"));
            if (waitPolicy != null) {
                LOG.warn(waitPolicy);
            }
        }
        return selection;
    }

    /**
     * The warning for an unset OpenMP wait policy, or null when it is set: with the default
     * (active) policy, ND4J's idle OpenMP threads spin against OpenBLAS's and take the cores it needs
     * (ARCHITECTURE.md, trap T3; the slowdown measured is in stream-processor/BENCHMARKS.md). The
     * variable is read when the natives load, so only the environment of the JVM can set it; bin/smt
     * does.
     */
    static String ompWaitPolicyWarning(String value) {
        if (value != null && !value.isBlank()) {
            return null;
        }
        return "OMP_WAIT_POLICY is not set: OpenMP threads busy-wait, which can make ND4J many times slower on a "
                + "few cores; start the JVM with OMP_WAIT_POLICY=PASSIVE (bin/smt sets it)";
    }

    /**
     * Caps the OpenMP and OpenBLAS threads each calling thread uses, so that several compute threads
     * (e.g. Kafka Streams threads) share the cores instead of oversubscribing them (ARCHITECTURE.md, trap T3).
     *
     * @param computeThreads threads that call ND4J concurrently
     * @return the threads per call now in force
     */
    public static int shareCores(int computeThreads) {
        int perCall = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, computeThreads));
        Nd4j.getEnvironment().setMaxThreads(perCall);
        Nd4j.getEnvironment().setMaxMasterThreads(perCall);
        Nd4j.factory().blas().setMaxThreads(perCall);
        LOG.info("ND4J: {} threads for linear algebra per call ({} compute threads on {} cores)", perCall,
                computeThreads, Runtime.getRuntime().availableProcessors());
        return perCall;
    }
}
