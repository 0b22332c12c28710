package org.smtstream.model.wire;

import java.nio.ByteBuffer;

/**
 * A frame that inference has coded, sent to the single learner: its whitened patches and their
 * codes alpha (sparse). The record on {@code smt.learning}, keyed by stream id. Both parts keep
 * their own encodings, nested as byte arrays, so each is checked by its own reader.
 *
 * <pre>
 * header (4)  'S' 'M' type=7 version=1
 * frame bytes (a PatchFrame record), codes bytes (a SparseCodes record)
 * </pre>
 */
public record LearningSample(PatchFrame frame, SparseCodes codes) {

    public static final int FORMAT_VERSION = 1;

    public LearningSample {
        if (frame == null || codes == null) {
            throw new IllegalArgumentException("A learning sample needs both the frame and its codes");
        }
        if (!frame.streamId().equals(codes.streamId()) || frame.frameIndex() != codes.frameIndex()
                || frame.patchCount() != codes.patchCount()) {
            throw new IllegalArgumentException("Codes of " + codes.streamId() + "#" + codes.frameIndex() + " ("
                    + codes.patchCount() + " patches) do not belong to frame " + frame.streamId() + "#"
                    + frame.frameIndex() + " (" + frame.patchCount() + " patches)");
        }
    }

    public byte[] toBytes() {
        byte[] frameBytes = frame.toBytes();
        byte[] codesBytes = codes.toBytes();
        ByteBuffer buf = WireFormat.allocate(WireFormat.RecordType.LEARNING_SAMPLE, FORMAT_VERSION,
                WireFormat.bytesBytes(frameBytes) + WireFormat.bytesBytes(codesBytes));
        WireFormat.putBytes(buf, frameBytes);
        WireFormat.putBytes(buf, codesBytes);
        return buf.array();
    }

    public static LearningSample fromBytes(byte[] data) {
        return WireFormat.decode(data, WireFormat.RecordType.LEARNING_SAMPLE, FORMAT_VERSION, buf -> new LearningSample(
                PatchFrame.fromBytes(WireFormat.getBytes(buf)), SparseCodes.fromBytes(WireFormat.getBytes(buf))));
    }
}
