package org.smtstream.model.wire;

import java.nio.ByteBuffer;
import org.smtstream.model.wire.WireFormat.RecordType;

/**
 * Per-frame health of inference and learning: the record on {@code smt.metrics}.
 * Quantities not computed by a processor version are NaN.
 *
 * @param snrAlphaDb     reconstruction SNR of Phi alpha against the whitened patches, in dB
 * @param snrBetaDb      reconstruction SNR of Phi g(beta), in dB
 * @param activeFraction fraction of (patch, atom) coefficients that are non-zero
 * @param iterations     sparse-coder iterations used
 * @param objective      sparse-coding objective 1/2||X - Phi A||^2 + lambda ||A||_1, per patch
 * @param staleSkipped   frames of this stream the processor skipped so far because they were older
 *                       than the stream's freshness bound ({@link PatchHeaders#MAX_AGE_MS})
 *
 * <pre>
 * header (4)  'S' 'M' type=4 version=2
 * streamId str, frameIndex i64, captureTimeMs i64, processedTimeMs i64, modelVersion i64,
 * snrAlphaDb f64, snrBetaDb f64, activeFraction f64, iterations i32, objective f64,
 * curvaturePixels f64, curvatureAlpha f64, curvatureBeta f64, staleSkipped i64
 * </pre>
 * {@code latencyMs()} is processing time minus capture time.
 */
public record FrameMetrics(String streamId, long frameIndex, long captureTimeMs, long processedTimeMs,
                           long modelVersion, double snrAlphaDb, double snrBetaDb, double activeFraction,
                           int iterations, double objective,
                           double curvaturePixels, double curvatureAlpha, double curvatureBeta,
                           long staleSkipped) {

    public static final int FORMAT_VERSION = 2;

    public long latencyMs() {
        return processedTimeMs - captureTimeMs;
    }

    public byte[] toBytes() {
        ByteBuffer buf = WireFormat.allocate(RecordType.FRAME_METRICS, FORMAT_VERSION,
                WireFormat.stringBytes(streamId) + 4 * 8 + 3 * 8 + 4 + 8 + 3 * 8 + 8);
        WireFormat.putString(buf, streamId);
        buf.putLong(frameIndex).putLong(captureTimeMs).putLong(processedTimeMs).putLong(modelVersion);
        buf.putDouble(snrAlphaDb).putDouble(snrBetaDb).putDouble(activeFraction);
        buf.putInt(iterations).putDouble(objective);
        buf.putDouble(curvaturePixels).putDouble(curvatureAlpha).putDouble(curvatureBeta).putLong(staleSkipped);
        return buf.array();
    }

    public static FrameMetrics fromBytes(byte[] data) {
        return WireFormat.decode(data, RecordType.FRAME_METRICS, FORMAT_VERSION, buf -> new FrameMetrics(
                WireFormat.getString(buf), buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong(),
                buf.getDouble(), buf.getDouble(), buf.getDouble(), buf.getInt(), buf.getDouble(),
                buf.getDouble(), buf.getDouble(), buf.getDouble(), buf.getLong()));
    }
}
