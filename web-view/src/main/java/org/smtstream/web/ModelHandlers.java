package org.smtstream.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.smtstream.model.Json;
import org.smtstream.model.NeedlePlot;
import org.smtstream.model.Needles;

/**
 * The model pictures, drawn on worker threads from the newest version:
 * <pre>
 * /model/atoms.png?page=P&amp;size=S    atoms P S .. P S + S - 1 of phi (or ?offset=J&amp;size=S: from atom J;
 *                                   neither: page 0; S defaults to 256), each scaled to its own range
 * /model/atoms.json?page=P&amp;size=S   which atoms that page holds, of how many, in how many pages
 * /model/needles.svg?page=P&amp;size=S  the needles of the same atoms, on the same tile layout, to lay over the PNG
 * /model/atom/{j}.json?k=K          atom j's needle and its K nearest neighbours by cosine of P's columns
 * /model/atom/{j}/affinity.svg?k=K  the same group as a needle plot (thesis figure 3.6A)
 * /model/affinity.json              {"version":12,"groups":[{"atom":5,"neighbours":[[17,0.93],...]},...]}
 * /model/affinity/{index}.png       group index's row of tiles: the atom, then its neighbours
 * </pre>
 * Answers carry the model version they show in {@code X-Model-Version}; before the first version,
 * and for needles or groups a version does not have, they are 404; a page, offset, size, atom or k
 * that is not a whole number in range is 400 with the reason.
 */
final class ModelHandlers {

    /** Neighbours of a chosen atom's group, as the thesis draws them, and the most a request may ask. */
    static final int GROUP_NEIGHBOURS = 40;
    static final int MAX_NEIGHBOURS = 200;
    /** Side of the affinity needle plot, in screen pixels. */
    static final int GROUP_BOX = 240;
    private static final String SVG = "image/svg+xml";
    private static final String JSON = "application/json";

    private final ModelState model;

    ModelHandlers(ModelState model) {
        this.model = model;
    }

    /** One answer: its status, type and body, and the model version it shows (or -1). */
    private record Reply(int status, String contentType, byte[] body, long version) {

        static Reply notFound(String message) {
            return new Reply(404, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8), -1);
        }

        static Reply text(String type, String body, long version) {
            return new Reply(200, type, body.getBytes(StandardCharsets.UTF_8), version);
        }
    }

    void mount(Router router) {
        router.get("/model/atoms.png").handler(ctx -> paged(ctx, (m, page) -> new Reply(200, "image/png",
                AtomTiles.png(m.phi(), m.patchSize(), page.atoms(), page.columns()), m.version())));
        router.get("/model/atoms.json").handler(ctx -> paged(ctx, (m, page) -> Reply.text(JSON,
                Json.write(pageJson(m, page)), m.version())));
        router.get("/model/needles.svg").handler(ctx -> paged(ctx, (m, page) -> m.needles() == null
                ? Reply.notFound("Model v" + m.version() + " carries no needles")
                : Reply.text(SVG, NeedlePlot.grid(m.needles(), m.patchSize(), page.atoms(), page.columns(), true, 1)
                        .markup(), m.version())));
        router.getWithRegex("/model/atom/(?<atom>[^/]+)\\.json").handler(ctx -> chosen(ctx, this::atomJson));
        router.getWithRegex("/model/atom/(?<atom>[^/]+)/affinity\\.svg").handler(ctx -> chosen(ctx, (m, group) ->
                Reply.text(SVG, NeedlePlot.group(m.needles(), m.patchSize(), group, GROUP_BOX).markup(),
                        m.version())));
        router.get("/model/affinity.json").handler(this::groups);
        router.getWithRegex("/model/affinity/(?<index>\\d{1,3})\\.png").handler(ctx -> {
            int index = Integer.parseInt(ctx.pathParam("index"));
            respond(ctx, () -> model.affinityRow(index)
                    .map(picture -> new Reply(200, "image/png", picture.png(), picture.version()))
                    .orElse(Reply.notFound("No affinity group " + index
                            + " (the model has no embedding yet, or fewer groups)")));
        });
    }

    /** A picture or list of one page of atoms of the newest version. */
    private void paged(RoutingContext ctx, BiFunction<ModelSnapshot, AtomPage, Reply> render) {
        String page = ctx.request().getParam("page");
        String offset = ctx.request().getParam("offset");
        String size = ctx.request().getParam("size");
        respond(ctx, () -> {
            Optional<ModelSnapshot> latest = model.latest();
            if (latest.isEmpty()) {
                return Reply.notFound("No model version yet");
            }
            return render.apply(latest.get(), AtomPage.of(page, offset, size, latest.get().phi().cols()));
        });
    }

    /** Something about one atom's affinity group in the newest version, which needs P and the needles. */
    private void chosen(RoutingContext ctx, BiFunction<ModelSnapshot, NeedlePlot.Group, Reply> render) {
        String atom = ctx.pathParam("atom");
        String k = ctx.request().getParam("k");
        respond(ctx, () -> {
            Optional<ModelSnapshot> latest = model.latest();
            if (latest.isEmpty()) {
                return Reply.notFound("No model version yet");
            }
            ModelSnapshot m = latest.get();
            int j = AtomPage.number("atom", atom, 0, m.phi().cols() - 1);
            int neighbours = k == null ? GROUP_NEIGHBOURS : AtomPage.number("k", k, 1, MAX_NEIGHBOURS);
            if (m.p() == null || m.needles() == null) {
                return Reply.notFound("Model v" + m.version() + " has no " + (m.p() == null ? "embedding P" : "needles")
                        + " yet");
            }
            AffinityGroups.Group group = AffinityGroups.topK(m.p(), j, neighbours);
            return render.apply(m, asPlotted(group));
        });
    }

    private static NeedlePlot.Group asPlotted(AffinityGroups.Group group) {
        List<AffinityGroups.Neighbour> neighbours = group.neighbours();
        int[] atoms = new int[neighbours.size()];
        float[] cosines = new float[neighbours.size()];
        for (int i = 0; i < atoms.length; i++) {
            atoms[i] = neighbours.get(i).atom();
            cosines[i] = (float) neighbours.get(i).cosine();
        }
        return new NeedlePlot.Group(group.atom(), atoms, cosines);
    }

    private static ObjectNode pageJson(ModelSnapshot m, AtomPage page) {
        return Json.object().put("version", m.version()).put("atoms", page.total()).put("patchSize", m.patchSize())
                .put("first", page.first()).put("count", page.count()).put("size", page.size())
                .put("page", page.page()).put("pages", page.pages()).put("columns", page.columns())
                .put("needles", m.needles() != null);
    }

    private Reply atomJson(ModelSnapshot m, NeedlePlot.Group group) {
        Needles needles = m.needles();
        int j = group.atom();
        ObjectNode json = Json.object().put("version", m.version()).put("atom", j);
        json.putObject("needle").put("defined", needles.defined(j)).put("centreRow", needles.centreRow(j))
                .put("centreCol", needles.centreCol(j)).put("angleDegrees", needles.angleDegrees(j))
                .put("length", needles.length(j)).put("quality", needles.quality(j));
        ArrayNode list = json.putArray("neighbours");
        for (int i = 0; i < group.neighbours().length; i++) {
            list.addArray().add(group.neighbours()[i]).add(Math.round(group.similarities()[i] * 1e4) / 1e4);
        }
        return Reply.text(JSON, Json.write(json), m.version());
    }

    private void groups(RoutingContext ctx) {
        respond(ctx, () -> {
            Optional<ModelSnapshot> latest = model.latest();
            List<AffinityGroups.Group> groups = model.affinityGroups();
            ObjectNode json = Json.object().put("version", latest.map(ModelSnapshot::version).orElse(null));
            ArrayNode groupNodes = json.putArray("groups");
            for (AffinityGroups.Group g : groups) {
                ArrayNode neighbours = groupNodes.addObject().put("atom", g.atom()).putArray("neighbours");
                g.neighbours().forEach(n -> neighbours.addArray().add(n.atom())
                        .add(Math.round(n.cosine() * 1e4) / 1e4));
            }
            return Reply.text(JSON, Json.write(json), -1);
        });
    }

    /** Renders on a worker thread; a request the model cannot answer is 400 with the reason. */
    private static void respond(RoutingContext ctx, Callable<Reply> render) {
        ctx.vertx().executeBlocking(render, false)
                .onSuccess(reply -> {
                    ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", reply.contentType())
                            // The URL names no version, so the answer behind it changes with the model.
                            .putHeader("Cache-Control", "no-store");
                    if (reply.version() >= 0) {
                        ctx.response().putHeader("X-Model-Version", Long.toString(reply.version()));
                    }
                    ctx.response().end(Buffer.buffer(reply.body()));
                })
                .onFailure(e -> {
                    if (e instanceof AtomPage.Invalid) {
                        ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8")
                                .end(e.getMessage() + "\n");
                    } else {
                        ctx.fail(e);
                    }
                });
    }
}
