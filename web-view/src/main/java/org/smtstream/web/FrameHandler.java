package org.smtstream.web;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameImage.Kind;

/**
 * {@code GET /frame/{streamId}/{kind}.png}: the latest picture of that kind, rendered on a worker
 * thread. The kind is the enum name in any case, with '-' or '_' ({@code reconstruction-alpha}), or one
 * of the next-frame prediction's pictures ({@code next-target}, {@code next-beta}, {@code next-copy-last},
 * {@code next-pixels}; {@link NextFramePrediction}).
 */
final class FrameHandler implements Handler<RoutingContext> {

    /** Path pattern with the named groups this handler reads. */
    static final String PATH = "/frame/(?<streamId>[^/]+)/(?<kind>[A-Za-z_-]+)\\.png";

    private final LiveState state;

    FrameHandler(LiveState state) {
        this.state = state;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String streamId = ctx.pathParam("streamId");
        Optional<NextFramePrediction.Picture> next = NextFramePrediction.parsePicture(ctx.pathParam("kind"));
        Optional<Kind> kind = parseKind(ctx.pathParam("kind"));
        if (kind.isEmpty() && next.isEmpty()) {
            Stream<String> kinds = Stream.of(Kind.values()).map(k -> k.name().toLowerCase(Locale.ROOT));
            Stream<String> pictures = Stream.of(NextFramePrediction.Picture.values())
                    .map(NextFramePrediction.Picture::urlName);
            notFound(ctx, "Unknown picture kind '" + ctx.pathParam("kind") + "'; one of "
                    + Stream.concat(kinds, pictures).toList());
            return;
        }
        // The next-frame pictures are those of the latest measured frame, all four of one frame.
        Optional<FrameImage> image = next.isPresent()
                ? state.predictions().picture(streamId, next.get())
                : state.latestImage(streamId, kind.get());
        if (image.isEmpty()) {
            notFound(ctx, "No " + next.map(NextFramePrediction.Picture::urlName).orElseGet(() -> kind.get().name())
                    + " picture for stream '" + streamId + "'");
            return;
        }
        ctx.vertx().executeBlocking(() -> FramePng.encode(image.get(), displayRange(image.get())), false)
                .onSuccess(png -> ctx.response()
                        .putHeader("Content-Type", "image/png")
                        // The URL names only the kind, so the picture behind it changes every frame.
                        .putHeader("Cache-Control", "no-store")
                        .putHeader("X-Frame-Index", Long.toString(image.get().frameIndex()))
                        .end(Buffer.buffer(png)))
                .onFailure(ctx::fail);
    }

    /**
     * Input is shown as the [0, 1] intensity it is. Whitened-space pictures share one scale, taken
     * from the whitened input and its reconstruction together, so a reconstruction that is too weak
     * or too strong looks it; so do the image-space pictures, on a scale of their own (C x has the
     * input's mean removed and only relative contrast, so mid grey is the frame's mean).
     */
    private DisplayRange displayRange(FrameImage image) {
        if (image.kind() == Kind.INPUT) {
            return DisplayRange.UNIT;
        }
        Stream<Kind> scaleFrom = image.kind().unwhitened()
                ? Stream.of(Kind.UNWHITENED, Kind.RECONSTRUCTION_ALPHA_UNWHITENED)
                : Stream.of(Kind.WHITENED, Kind.RECONSTRUCTION_ALPHA);
        float[][] reference = scaleFrom
                .map(k -> state.latestImage(image.streamId(), k))
                .flatMap(Optional::stream)
                .map(FrameImage::pixels)
                .toArray(float[][]::new);
        return DisplayRange.symmetric(reference.length > 0 ? reference : new float[][] {image.pixels()});
    }

    private static Optional<Kind> parseKind(String text) {
        String name = text.toUpperCase(Locale.ROOT).replace('-', '_');
        return Stream.of(Kind.values()).filter(k -> k.name().equals(name)).findFirst();
    }

    private static void notFound(RoutingContext ctx, String message) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
}
