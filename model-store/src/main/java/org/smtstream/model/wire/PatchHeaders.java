package org.smtstream.model.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of an {@code smt.patches} record, all UTF-8 so that
 * {@code kafka-console-consumer --property print.headers=true} shows them: the decimal numbers
 * {@value #FRAME_INDEX}, {@value #CAPTURE_TIME_MS}, {@value #PREPROCESSING_VERSION} and
 * {@value #MAX_AGE_MS}, the label {@value #PREPROCESSING} (e.g. {@code fourier} or {@code zca+lcn}),
 * and ingest's cumulative losses ({@link IngestFaults}). Headers ride beside the value instead of in
 * it so that a stream's own settings and health reach every reader without a new wire format.
 */
public final class PatchHeaders {

    public static final String FRAME_INDEX = "frameIndex";
    public static final String CAPTURE_TIME_MS = "captureTimeMs";
    public static final String PREPROCESSING_VERSION = "preprocessingVersion";
    public static final String PREPROCESSING = "preprocessing";
    /**
     * The oldest a frame of this stream may be, capture to coding, for the processor to still code
     * it; absent or 0 = code every frame, however late. The stream's source chooses it: a live
     * camera wants the present, a replay wants every frame.
     */
    public static final String MAX_AGE_MS = "maxAgeMs";

    private PatchHeaders() {
    }

    /** Adds {@code key} as a decimal number. */
    public static Headers putDecimal(Headers headers, String key, long value) {
        return headers.add(key, Long.toString(value).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The decimal number in the last header {@code key}, or {@code absent} when there is none or it
     * is not a number (headers are advisory: a record is never rejected for one).
     */
    public static long decimal(Headers headers, String key, long absent) {
        Header header = headers.lastHeader(key);
        if (header == null || header.value() == null) {
            return absent;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8).strip());
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    /** The stream's freshness bound in ms, 0 when it has none (or a negative or unreadable one). */
    public static long maxAgeMs(Headers headers) {
        return Math.max(0, decimal(headers, MAX_AGE_MS, 0));
    }

    /** The {@value #PREPROCESSING} label, or null when there is none. */
    public static String preprocessing(Headers headers) {
        Header header = headers.lastHeader(PREPROCESSING);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
