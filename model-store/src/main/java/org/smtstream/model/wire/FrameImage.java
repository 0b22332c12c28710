package org.smtstream.model.wire;

import java.nio.ByteBuffer;
import org.smtstream.model.wire.WireFormat.RecordType;

/**
 * A small grayscale picture for the web view: an input frame, its whitened form or a
 * reconstruction. Row-major float pixels; the viewer scales them for display. The record on
 * {@code smt.preview}, keyed by stream id; rate-limited by its producers.
 *
 * <pre>
 * header (4)  'S' 'M' type=5 version=1
 * streamId str, frameIndex i64, kind u8, width i32, height i32, pixels f32[] (width * height)
 * </pre>
 */
public record FrameImage(String streamId, long frameIndex, Kind kind, int width, int height, float[] pixels) {

    public static final int FORMAT_VERSION = 1;

    /** What the picture shows. */
    public enum Kind {
        /** Grayscale input after crop and downsampling, values in [0, 1]. */
        INPUT,
        /** Whitened input. */
        WHITENED,
        /** Phi alpha, assembled from patches, in whitened space. */
        RECONSTRUCTION_ALPHA,
        /** Phi g(beta), assembled from patches, in whitened space. */
        RECONSTRUCTION_BETA,
        /**
         * The whitened input taken back to image space, C x: the input less its mean and the
         * frequencies whitening removed, in the units of the whitened frame (values are signed).
         */
        UNWHITENED,
        /** C Phi alpha: {@link #RECONSTRUCTION_ALPHA} in image space, of the same frame as {@link #UNWHITENED}. */
        RECONSTRUCTION_ALPHA_UNWHITENED,
        /** C Phi g(beta): {@link #RECONSTRUCTION_BETA} in image space, of the same frame as {@link #UNWHITENED}. */
        RECONSTRUCTION_BETA_UNWHITENED,
        /**
         * Phi g(2 beta_{t-1} - beta_{t-2}): the frame predicted from the two before it through beta, in
         * whitened space. The four PREDICTION kinds are sent together, of one frame, on the frames that
         * solve g(beta) and have two frames of history. Readers older than these kinds reject them as unknown.
         */
        PREDICTION_BETA,
        /** x_t, the whitened frame the PREDICTION kinds predict. */
        PREDICTION_TARGET,
        /** x_{t-1}: the copy-last control of the prediction. */
        PREDICTION_COPY_LAST,
        /** 2 x_{t-1} - x_{t-2}: the control of linear extrapolation in whitened pixels. */
        PREDICTION_PIXELS;

        /** True for the pictures in image space, C applied (ARCHITECTURE.md, "The math"). */
        public boolean unwhitened() {
            return this == UNWHITENED || this == RECONSTRUCTION_ALPHA_UNWHITENED
                    || this == RECONSTRUCTION_BETA_UNWHITENED;
        }
    }

    public FrameImage {
        if (width < 1 || height < 1 || pixels.length != width * height) {
            throw new IllegalArgumentException(
                    pixels.length + " pixels do not make a " + width + "x" + height + " image");
        }
    }

    public byte[] toBytes() {
        ByteBuffer buf = WireFormat.allocate(RecordType.FRAME_IMAGE, FORMAT_VERSION,
                WireFormat.stringBytes(streamId) + 8 + 1 + 8 + WireFormat.floatsBytes(pixels));
        WireFormat.putString(buf, streamId);
        buf.putLong(frameIndex).put((byte) kind.ordinal()).putInt(width).putInt(height);
        WireFormat.putFloats(buf, pixels);
        return buf.array();
    }

    public static FrameImage fromBytes(byte[] data) {
        return WireFormat.decode(data, RecordType.FRAME_IMAGE, FORMAT_VERSION, buf -> {
            String streamId = WireFormat.getString(buf);
            long frameIndex = buf.getLong();
            int kind = buf.get();
            if (kind < 0 || kind >= Kind.values().length) {
                throw new IllegalArgumentException("unknown image kind " + kind);
            }
            return new FrameImage(streamId, frameIndex, Kind.values()[kind], buf.getInt(), buf.getInt(),
                    WireFormat.getFloats(buf));
        });
    }
}
