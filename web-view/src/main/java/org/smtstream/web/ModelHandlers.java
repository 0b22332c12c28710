package org.smtstream.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.smtstream.model.Json;

/**
 * The model pictures, drawn on worker threads (a first request after a new version renders):
 * <pre>
 * /model/atoms.png               the first 256 atoms of phi, 16 per row, each scaled to its own range
 * /model/affinity.json           {"version":12,"groups":[{"atom":5,"neighbours":[[17,0.93],...]},...]}
 * /model/affinity/{index}.png    group index's row of tiles: the atom, then its neighbours
 * </pre>
 * Pictures carry the model version they show in {@code X-Model-Version}; before the first version
 * they are 404 and the groups list is empty.
 */
final class ModelHandlers {

    private final ModelState model;

    ModelHandlers(ModelState model) {
        this.model = model;
    }

    void mount(Router router) {
        router.get("/model/atoms.png").handler(ctx -> picture(ctx, model::atomGrid, "No model version yet"));
        router.get("/model/affinity.json").handler(this::groups);
        router.getWithRegex("/model/affinity/(?<index>\\d{1,3})\\.png").handler(ctx -> {
            int index = Integer.parseInt(ctx.pathParam("index"));
            picture(ctx, () -> model.affinityRow(index),
                    "No affinity group " + index + " (the model has no embedding yet, or fewer groups)");
        });
    }

    private void groups(RoutingContext ctx) {
        ctx.vertx().executeBlocking(() -> {
            Optional<ModelSnapshot> latest = model.latest();
            List<AffinityGroups.Group> groups = model.affinityGroups();
            ObjectNode json = Json.object().put("version", latest.map(ModelSnapshot::version).orElse(null));
            ArrayNode groupNodes = json.putArray("groups");
            for (AffinityGroups.Group g : groups) {
                ArrayNode neighbours = groupNodes.addObject().put("atom", g.atom()).putArray("neighbours");
                g.neighbours().forEach(n -> neighbours.addArray().add(n.atom())
                        .add(Math.round(n.cosine() * 1e4) / 1e4));
            }
            return Json.write(json);
        }, false).onSuccess(body -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body))
                .onFailure(ctx::fail);
    }

    private static void picture(RoutingContext ctx, Callable<Optional<ModelState.Picture>> render, String missing) {
        ctx.vertx().executeBlocking(render, false)
                .onSuccess(picture -> {
                    if (picture.isEmpty()) {
                        ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                                .end(missing + "\n");
                        return;
                    }
                    ctx.response()
                            .putHeader("Content-Type", "image/png")
                            // The URL names no version, so the picture behind it changes with the model.
                            .putHeader("Cache-Control", "no-store")
                            .putHeader("X-Model-Version", Long.toString(picture.get().version()))
                            .end(Buffer.buffer(picture.get().png()));
                })
                .onFailure(ctx::fail);
    }
}
