package org.smtstream.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FFV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Video clips written by the tests themselves, so no test needs files outside the module. */
public final class TestClips {

    private TestClips() {
    }

    /** Container, codec and pixel format of a clip. */
    public record Encoding(String format, int codec, int pixelFormat) {
    }

    /** Lossless: FFV1 on BGR0 in Matroska returns the written BGR pixels exactly. */
    public static final Encoding FFV1 = new Encoding("matroska", AV_CODEC_ID_FFV1, AV_PIX_FMT_BGR0);
    /** Lossy, with the container's frame count in its header, like the bundled clip. */
    public static final Encoding MPEG4 = new Encoding("mp4", AV_CODEC_ID_MPEG4, AV_PIX_FMT_YUV420P);
    /**
     * H.264 in MP4, the format of most phone and camera recordings. The bundled FFmpeg has no x264
     * (GPL); its H.264 encoder is Cisco's libopenh264.
     */
    public static final Encoding H264 = new Encoding("mp4", AV_CODEC_ID_H264, AV_PIX_FMT_YUV420P);
    /** MPEG-4 in an MPEG transport stream: readable from the first byte on, as a network stream is. */
    public static final Encoding MPEG4_TS = new Encoding("mpegts", AV_CODEC_ID_MPEG4, AV_PIX_FMT_YUV420P);

    /**
     * Writes {@code frames} frames of {@link #pattern} at {@code fps}.
     *
     * @param gopSize frames between key frames (small values make damage recoverable)
     */
    public static Path write(Path file, Encoding encoding, int width, int height, int frames, double fps, int gopSize)
            throws IOException {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height)) {
            recorder.setFormat(encoding.format());
            recorder.setVideoCodec(encoding.codec());
            recorder.setPixelFormat(encoding.pixelFormat());
            recorder.setFrameRate(fps);
            recorder.setGopSize(gopSize);
            recorder.setVideoQuality(2);
            recorder.start();
            for (int i = 0; i < frames; i++) {
                try (Frame frame = pattern(i, width, height)) {
                    recorder.record(frame);
                }
            }
        }
        return file;
    }

    /**
     * Writes a clip that starts and ends black, as many recordings do: {@code blackBefore} black
     * frames, {@code moving} frames of {@link #pattern}, {@code blackAfter} black frames, as
     * {@link #MPEG4} with every frame a key frame, so no black frame carries a ghost of the content.
     */
    public static Path writeBlackEnded(Path file, int width, int height, int blackBefore, int moving, int blackAfter)
            throws IOException {
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height)) {
            recorder.setFormat(MPEG4.format());
            recorder.setVideoCodec(MPEG4.codec());
            recorder.setPixelFormat(MPEG4.pixelFormat());
            recorder.setFrameRate(25);
            recorder.setGopSize(1);
            recorder.setVideoQuality(2);
            recorder.start();
            for (int i = 0; i < blackBefore + moving + blackAfter; i++) {
                boolean black = i < blackBefore || i >= blackBefore + moving;
                try (Frame frame = black ? black(width, height) : pattern(i, width, height)) {
                    recorder.record(frame);
                }
            }
        }
        return file;
    }

    /** A black BGR frame (a new frame's buffer is not cleared). */
    public static Frame black(int width, int height) {
        Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        for (int i = 0; i < pixels.capacity(); i++) {
            pixels.put(i, (byte) 0);
        }
        return frame;
    }

    /**
     * Frame {@code index} of a deterministic moving BGR test pattern; every channel uses the full
     * 0..255 range and depends on x, y and the index, so a stride or channel mix-up shows.
     */
    public static Frame pattern(int index, int width, int height) {
        Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
        try (UByteIndexer pixels = frame.createIndexer()) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    pixels.put(y, x, 0, (3 * x + 7 * index) & 0xFF);
                    pixels.put(y, x, 1, (5 * y + index) & 0xFF);
                    pixels.put(y, x, 2, ((x ^ y) + 11 * index) & 0xFF);
                }
            }
        }
        return frame;
    }

    /** Overwrites the bytes between fractions {@code from} and {@code to} of the file with seeded noise. */
    public static void damage(Path file, double from, double to, long seed) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Random random = new Random(seed);
        for (int i = (int) (bytes.length * from); i < (int) (bytes.length * to); i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        Files.write(file, bytes);
    }
}
