package org.smtstream.ingest.source;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes FFmpeg's own log into SLF4J (logger {@code org.smtstream.ingest.ffmpeg}, DEBUG) instead of
 * raw stderr, and turns FFmpeg error codes into words.
 *
 * <p>Why DEBUG: ingest reports what matters itself, once and with the input named: a source that
 * cannot be opened becomes one {@link org.smtstream.ingest.IngestException}, and undecodable frames
 * are counted and summarized. FFmpeg's lines ("header damaged", "Connection refused", each printed
 * by several threads) would otherwise bury that one message. Turn the logger to DEBUG to see them.
 */
final class FFmpegLog {

    private static final Logger LOG = LoggerFactory.getLogger("org.smtstream.ingest.ffmpeg");
    /** JavaCV's wording of a failed call: {@code avformat_open_input() error -111: Could not open ...}. */
    private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");
    private static final Callback CALLBACK = new Callback();

    static {
        // Warnings and errors reach the callback; FFmpeg's info banner and debug chatter do not,
        // unless the application chose a level of its own.
        if (av_log_get_level() == AV_LOG_INFO) {
            av_log_set_level(AV_LOG_WARNING);
        }
        setLogCallback(CALLBACK);
    }

    private FFmpegLog() {
    }

    /** Installs the callback (once per JVM; idempotent). Call before the first grabber starts. */
    static void install() {
        // The static initializer does the work; this method only forces it to run.
    }

    /**
     * FFmpeg's description of the error code in a JavaCV exception message (for example
     * "Connection refused" for -111), or null when the message carries no code.
     */
    static String describeError(String javacvMessage) {
        if (javacvMessage == null) {
            return null;
        }
        Matcher m = ERROR_CODE.matcher(javacvMessage);
        if (!m.find()) {
            return null;
        }
        byte[] text = new byte[256];
        if (av_strerror(Integer.parseInt(m.group(1)), text, text.length) < 0) {
            return null;
        }
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8);
    }

    /** Kept in a static field: FFmpeg holds only a native pointer, so the Java object must not be collected. */
    private static final class Callback extends LogCallback {
        @Override
        public void call(int level, BytePointer message) {
            if (LOG.isDebugEnabled() && level <= av_log_get_level()) {
                LOG.debug("[level {}] {}", level, message.getString(StandardCharsets.UTF_8).stripTrailing());
            }
        }
    }
}
