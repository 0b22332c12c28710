package org.smtstream.deploy;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads a time as people write it on a command line: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 0}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String t = value.strip().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = TIME.matcher(t);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a time (e.g. 500ms, 30s, 5m, 1h)");
        }
        double millisPerUnit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        return Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * millisPerUnit));
    }
}
