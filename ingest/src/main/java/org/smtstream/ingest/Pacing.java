package org.smtstream.ingest;

import java.util.Locale;

/**
 * How fast frames are released: at the source's own rate ({@link #NATIVE}), at a multiple of it
 * ({@link #times(double)}: 2 = twice as fast), or as fast as decoding and publishing allow
 * ({@link #UNLIMITED}).
 *
 * @param speed multiple of the source's frame rate, &gt; 0; positive infinity means no waiting
 */
public record Pacing(double speed) {

    /** Real time: the source's timestamps are kept. */
    public static final Pacing NATIVE = new Pacing(1.0);
    /** No waiting between frames. */
    public static final Pacing UNLIMITED = new Pacing(Double.POSITIVE_INFINITY);

    public Pacing {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("Invalid pacing speed: " + speed + " (must be > 0)");
        }
    }

    /** {@code multiplier} times the source's frame rate. */
    public static Pacing times(double multiplier) {
        return new Pacing(multiplier);
    }

    /** True when frames are released without waiting. */
    public boolean unlimited() {
        return Double.isInfinite(speed);
    }

    /**
     * Reads {@code native}, {@code max} (also {@code unlimited}) or a multiplier such as {@code 2},
     * {@code 2x} or {@code 0.5x}.
     */
    public static Pacing parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "native" -> NATIVE;
            case "max", "unlimited" -> UNLIMITED;
            default -> parseMultiplier(text, t.endsWith("x") ? t.substring(0, t.length() - 1) : t);
        };
    }

    private static Pacing parseMultiplier(String text, String number) {
        try {
            return times(Double.parseDouble(number));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid pacing: '" + text
                    + "' (expected native, max or a positive speed multiplier such as 2x)");
        }
    }

    @Override
    public String toString() {
        return unlimited() ? "max" : speed == 1.0 ? "native" : speed + "x";
    }
}
