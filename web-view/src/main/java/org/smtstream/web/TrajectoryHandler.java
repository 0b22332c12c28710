package org.smtstream.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /trajectory/{streamId}?patch=i[&dims=3]}: the recent paths of patch location i (raster
 * order on the patch grid) as {@link TrajectoryJson}. The projections run on a worker thread: three
 * eigen-decompositions of a 64 x 64 Gram matrix take a few milliseconds, too long for the event loop
 * when several tabs poll.
 */
final class TrajectoryHandler implements Handler<RoutingContext> {

    static final String PATH = "/trajectory/:streamId";

    private final TrajectoryStore store;

    TrajectoryHandler(TrajectoryStore store) {
        this.store = store;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String streamId = ctx.pathParam("streamId");
        int location;
        int dims;
        try {
            location = Integer.parseInt(required(ctx, "patch"));
            String d = ctx.request().getParam("dims");
            dims = d == null ? 2 : Integer.parseInt(d);
            if (location < 0 || dims < 2 || dims > TrajectoryJson.MAX_DIMS) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            badRequest(ctx, "Expected ?patch=<location, 0 or more>[&dims=2|3]");
            return;
        }
        ctx.vertx().executeBlocking(() -> TrajectoryJson.encode(store, streamId, location, dims), false)
                .onSuccess(json -> ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(json))
                .onFailure(ctx::fail);
    }

    private static String required(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        if (value == null) {
            throw new NumberFormatException();
        }
        return value;
    }

    private static void badRequest(RoutingContext ctx, String message) {
        ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
}
