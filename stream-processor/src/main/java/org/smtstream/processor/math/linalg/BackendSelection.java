package org.smtstream.processor.math.linalg;

import java.util.Locale;

/**
 * Which ND4J backend was asked for, which one loaded, and the one line that says so.
 *
 * <p>ND4J chooses its backend itself when it first loads: of the backends on the classpath it takes
 * the highest-priority one that can run, so a build with the CUDA backend (Maven profile {@code cuda},
 * which keeps the CPU backend beside it) runs on the GPU when a usable device and driver are present
 * and on the CPU otherwise, after ND4J logs "Skipped [JCublasBackend] backend (unavailable)". This
 * class does not change that choice; it makes a fallback impossible to miss. The request is the
 * system property {@value #PROPERTY} or the environment variable {@value #ENV}: {@code cpu},
 * {@code cuda}, or {@code auto} (the default: CUDA exactly when the build carries its backend).
 *
 * @param requested what was asked for: cpu or cuda ("auto" already resolved)
 * @param loaded    the backend ND4J loaded: cpu or cuda
 * @param fallback  true when CUDA was asked for and the CPU backend runs instead
 * @param message   the line to log
 */
public record BackendSelection(String requested, String loaded, boolean fallback, String message) {

    public static final String PROPERTY = "smt.backend";
    public static final String ENV = "SMT_BACKEND";
    /** ND4J's CUDA backend class, present only in a build with the {@code cuda} profile. */
    public static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    /**
     * Decides what to report.
     *
     * @param request          cpu, cuda or auto (null or blank = auto), case-insensitive
     * @param cudaOnClasspath  whether the build carries ND4J's CUDA backend
     * @param loadedBackend    class name of the backend ND4J loaded
     * @throws IllegalArgumentException for another request
     */
    public static BackendSelection decide(String request, boolean cudaOnClasspath, String loadedBackend) {
        String r = request == null || request.isBlank() ? "auto" : request.strip().toLowerCase(Locale.ROOT);
        boolean wantCuda = switch (r) {
            case "cuda", "gpu" -> true;
            case "cpu" -> false;
            case "auto" -> cudaOnClasspath;
            default -> throw new IllegalArgumentException("Invalid ND4J backend request '" + request + "' (" + PROPERTY
                    + " / " + ENV + ": cpu, cuda or auto)");
        };
        boolean onCuda = loadedBackend != null && (loadedBackend.contains("JCublas") || loadedBackend.contains("Cuda"));
        String requested = wantCuda ? "cuda" : "cpu";
        String loaded = onCuda ? "cuda" : "cpu";
        String name = loadedBackend == null ? "none" : loadedBackend.substring(loadedBackend.lastIndexOf('.') + 1);
        if (wantCuda && !cudaOnClasspath) {
            return new BackendSelection(requested, loaded, true, "ND4J backend: CUDA requested, but this build has no "
                    + "CUDA backend (build with 'mvn -Pcuda package'); falling back to the CPU (" + name + ")");
        }
        if (wantCuda && !onCuda) {
            return new BackendSelection(requested, loaded, true, "ND4J backend: CUDA requested, but no usable GPU or "
                    + "CUDA driver was found; falling back to the CPU (" + name + ")");
        }
        if (!wantCuda && onCuda) {
            return new BackendSelection(requested, loaded, false, "ND4J backend: CPU requested, but ND4J loaded CUDA ("
                    + name + ") because its priority is higher; run a build without -Pcuda to stay on the CPU");
        }
        return new BackendSelection(requested, loaded, false, "ND4J backend: " + (onCuda ? "CUDA" : "CPU") + " ("
                + name + ")" + (r.equals("auto") ? "" : ", as requested"));
    }

    /** The request from the system property, else the environment, else auto. */
    public static String request() {
        String property = System.getProperty(PROPERTY);
        return property != null ? property : System.getenv(ENV);
    }

    /** Whether ND4J's CUDA backend is on the classpath (without loading it). */
    public static boolean cudaOnClasspath() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, BackendSelection.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
