package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.smtstream.model.TileLayout;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.FrameImage.Kind;
import org.smtstream.model.wire.FrameMetrics;
import org.smtstream.model.wire.IngestFaults;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

@ExtendWith(VertxExtension.class)
class WebServerTest {

    private static final String HOST = "127.0.0.1";
    private static final String ECHARTS = "/webjars/echarts/5.3.1/dist/echarts.min.js";

    private final LiveState state = new LiveState();
    private final StubFeed feed = new StubFeed();
    private WebServer server;
    /** A second server a test starts with other settings; closed after it. */
    private WebServer other;
    private WebClient client;

    @BeforeEach
    void startServer(Vertx vertx) {
        server = new WebServer(WebOptions.localhost(0), state, feed);
        server.start();
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stopServer() {
        server.close();
        if (other != null) {
            other.close();
        }
    }

    private HttpResponse<Buffer> get(String path) {
        return client.get(server.port(), HOST, path).send().await();
    }

    @Test
    void shouldStartOnFreePortAndReportUrl() {
        assertTrue(server.port() > 0);
        assertEquals("http://127.0.0.1:" + server.port() + "/", server.url());
        assertTrue(feed.started, "the feed starts with the server");
    }

    @Test
    void shouldServePageAndItsScripts() {
        HttpResponse<Buffer> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.getHeader("Content-Type").startsWith("text/html"), page.getHeader("Content-Type"));
        assertTrue(page.bodyAsString().contains(ECHARTS.substring(1)), "the page loads the pinned echarts");

        HttpResponse<Buffer> app = get("/app.js");
        assertEquals(200, app.statusCode());
        assertTrue(app.getHeader("Content-Type").contains("javascript"), app.getHeader("Content-Type"));
    }

    @Test
    void shouldServeEveryPageModuleAsJavaScriptAndListItForTheImportMap() throws IOException, URISyntaxException {
        List<String> modules;
        try (Stream<Path> files = Files.list(Path.of(WebServer.class.getResource("/webroot/js").toURI()))) {
            modules = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".js")).toList();
        }
        String page = get("/").bodyAsString();

        assertFalse(modules.isEmpty(), "the page's modules are under webroot/js");
        for (String module : modules) {
            HttpResponse<Buffer> script = get("/js/" + module);
            assertEquals(200, script.statusCode(), module);
            assertTrue(script.getHeader("Content-Type").contains("javascript"), module + ": "
                    + script.getHeader("Content-Type"));
            assertTrue(page.contains("'" + module.substring(0, module.length() - 3) + "'"),
                    module + " is missing from the page's module list, so it would load without the token");
        }
    }

    @Test
    void shouldServeEchartsFromWebJar() {
        HttpResponse<Buffer> echarts = get(ECHARTS);

        assertEquals(200, echarts.statusCode());
        assertTrue(echarts.getHeader("Content-Type").contains("javascript"), echarts.getHeader("Content-Type"));
        assertTrue(echarts.body().length() > 500_000, "the whole library, not a stub");
    }

    @Test
    void shouldStreamMetricsAsServerSentEvents(VertxTestContext test) {
        state.onMetrics(Samples.metrics(Samples.STREAM, 41, 12.5));
        AtomicInteger events = new AtomicInteger();

        client.get(server.port(), HOST, "/events")
                .as(BodyCodec.sseStream(stream -> stream.handler(event -> {
                    if (!"state".equals(event.event())) {
                        return;
                    }
                    JsonObject cam = new JsonObject(event.data()).getJsonArray("streams").getJsonObject(0);
                    JsonArray points = cam.getJsonArray("points");
                    if (events.incrementAndGet() == 1) {
                        test.verify(() -> {
                            assertEquals(Samples.STREAM, cam.getString("id"));
                            assertEquals(1, cam.getLong("frames"));
                            assertEquals(new JsonArray().add(41).add(12.5).add(9.5).add(0.05).add(25)
                                    .add(Samples.LATENCY_MS).addNull().addNull().addNull().add(0.5),
                                    points.getJsonArray(0), "curvature not computed yet is null");
                        });
                        // Arrives while the client is connected: it must come in a later event, alone.
                        state.onMetrics(Samples.metrics(Samples.STREAM, 42, 13.0));
                    } else if (!points.isEmpty()) {
                        test.verify(() -> {
                            assertEquals(1, points.size(), "each point is sent once: " + points);
                            assertEquals(42, points.getJsonArray(0).getLong(0));
                            assertEquals(2, cam.getLong("frames"));
                        });
                        test.completeNow();
                    }
                })))
                .send()
                .onFailure(test::failNow);
    }

    @Test
    void shouldOpenEveryEventStreamWithTheHistoryTheServerKeeps(Vertx vertx, VertxTestContext test) {
        other = new WebServer(WebOptions.localhost(0), new LiveState(500), new StubFeed());
        other.start();

        // The raw bytes, not the SSE codec: the order of the events on the wire is what is tested.
        StringBuilder wire = new StringBuilder();
        vertx.createHttpClient().request(HttpMethod.GET, other.port(), HOST, "/events")
                .compose(HttpClientRequest::send)
                .onSuccess(response -> response.handler(chunk -> {
                    wire.append(chunk.toString(StandardCharsets.UTF_8));
                    int state = wire.indexOf("event: state\n");
                    if (state < 0) {
                        return;
                    }
                    test.verify(() -> {
                        int config = wire.indexOf("event: config\n");
                        assertTrue(config >= 0 && config < state, "the config event comes first:\n" + wire);
                        String data = wire.substring(config).split("\n")[1];
                        assertTrue(data.startsWith("data: "), data);
                        JsonObject history = new JsonObject(data.substring("data: ".length()))
                                .getJsonObject("history");
                        assertEquals(500, history.getInteger("points"), "the state's own limit: " + history);
                        assertEquals(ModelState.HISTORY, history.getInteger("modelVersions"));
                        assertEquals(TrajectoryStore.DEFAULT_WINDOW, history.getInteger("trajectoryFrames"));
                        assertEquals(StatusWindow.POINTS, history.getInteger("statusFrames"));
                    });
                    test.completeNow();
                }))
                .onFailure(test::failNow);
    }

    @Test
    void shouldSendPointsOnlyOfTheFollowedStreamButTotalsOfAll(VertxTestContext test) {
        state.onMetrics(Samples.metrics("a-cam", 1, 10));
        state.onMetrics(Samples.metrics("b-cam", 2, 11));
        state.onMetrics(Samples.metrics("b-cam", 4, 11));
        state.onPatches(Samples.patches("b-cam", 9));
        state.onDeadLetter(DeadLetterCountsTest.deadLetter("x.IncompatibleFrameException", "patch size"));
        state.onModel(Samples.model(3));

        client.get(server.port(), HOST, "/events?stream=b-cam")
                .as(BodyCodec.sseStream(stream -> stream.handler(event -> {
                    if (!"state".equals(event.event())) {
                        return;
                    }
                    JsonObject msg = new JsonObject(event.data());
                    test.verify(() -> {
                        assertEquals("b-cam", msg.getString("selected"));
                        JsonObject a = msg.getJsonArray("streams").getJsonObject(0);
                        JsonObject b = msg.getJsonArray("streams").getJsonObject(1);
                        assertEquals("a-cam", a.getString("id"));
                        assertEquals(1, a.getLong("frames"), "totals of every stream, for the picker");
                        assertTrue(a.getJsonArray("points").isEmpty(), "no points of a stream not followed");
                        assertEquals(2, b.getJsonArray("points").size());
                        assertEquals(1, b.getJsonObject("gaps").getLong(Topics.METRICS.name()), "frame 3 missing");
                        assertEquals(5, b.getLong("lag"), "patches at 9, metrics at 4");
                        assertEquals(Samples.FRAME_SIZE, b.getJsonObject("grid").getInteger("frameSize"));
                        assertEquals(1, msg.getJsonObject("dlq").getLong("total"));
                        assertEquals(1, msg.getJsonObject("dlq").getJsonObject("byReason")
                                .getLong("IncompatibleFrameException"));
                        JsonObject model = msg.getJsonObject("model");
                        assertEquals(3, model.getLong("version"));
                        assertEquals(2, model.getLong("rejectedUpdates"));
                        assertEquals(new JsonArray().add(3).add(300).add(13.0).addNull().add(0.25).add(0.001).add(2),
                                model.getJsonArray("points").getJsonArray(0));
                    });
                    test.completeNow();
                })))
                .send()
                .onFailure(test::failNow);
    }

    @Test
    void shouldServeTrajectoriesOfAChosenPatch() {
        for (long t = 0; t < 10; t++) {
            state.onPatches(Samples.patches(Samples.STREAM, t));
            state.onCodes(Samples.codes(Samples.STREAM, t));
            state.onEmbeddings(Samples.embeddings(Samples.STREAM, t));
        }

        HttpResponse<Buffer> response = get("/trajectory/" + Samples.STREAM + "?patch=1");

        assertEquals(200, response.statusCode(), response.bodyAsString());
        assertEquals("application/json", response.getHeader("Content-Type"));
        JsonObject json = response.bodyAsJsonObject();
        assertEquals(1, json.getInteger("patch"));
        assertEquals(2, json.getJsonObject("geometry").getInteger("side"));
        for (String r : new String[] {"PIXELS", "ALPHA", "BETA"}) {
            JsonObject path = json.getJsonObject("paths").getJsonObject(r);
            assertEquals(10, path.getJsonArray("frames").size(), r);
            assertEquals(10, path.getJsonArray("points").size(), r);
            assertEquals(2, path.getJsonArray("points").getJsonArray(0).size(), r + " in 2-D");
        }
        // Location 1's beta moves along (0, 1, -1) at constant speed: a straight path.
        JsonObject beta = json.getJsonObject("paths").getJsonObject("BETA");
        assertEquals(0.0, beta.getDouble("curvatureDeg"), 1e-6);
        assertEquals(1.0, beta.getJsonArray("explained").getDouble(0), 1e-6);
        // ... so its curvature over time is 0 at every frame that has a neighbour on both sides
        JsonArray angles = beta.getJsonArray("angles");
        assertEquals(8, angles.size());
        for (int i = 0; i < angles.size(); i++) {
            assertEquals(i + 1, angles.getJsonArray(i).getLong(0), "the angle of frame " + (i + 1));
            assertEquals(0.0, angles.getJsonArray(i).getDouble(1), 1e-6);
        }
    }

    @Test
    void shouldAnswerTrajectoryQuestionsItCannot() {
        state.onPatches(Samples.patches(Samples.STREAM, 0));

        HttpResponse<Buffer> outside = get("/trajectory/" + Samples.STREAM + "?patch=99");
        HttpResponse<Buffer> unknown = get("/trajectory/nosuch?patch=0");

        assertEquals(200, outside.statusCode());
        assertTrue(outside.bodyAsJsonObject().getJsonObject("paths").getJsonObject("PIXELS")
                .getJsonArray("points").isEmpty());
        assertEquals(200, unknown.statusCode());
        assertEquals(400, get("/trajectory/" + Samples.STREAM).statusCode());
        assertEquals(400, get("/trajectory/" + Samples.STREAM + "?patch=-1").statusCode());
        assertEquals(400, get("/trajectory/" + Samples.STREAM + "?patch=0&dims=7").statusCode());
    }

    @Test
    void shouldServeAtomGridAndAffinityGroupsOfTheNewestModel() throws IOException {
        assertEquals(404, get("/model/atoms.png").statusCode());
        assertTrue(get("/model/affinity.json").bodyAsJsonObject().getJsonArray("groups").isEmpty());

        state.onModel(Samples.model(4));
        HttpResponse<Buffer> atoms = get("/model/atoms.png?v=4");
        HttpResponse<Buffer> groups = get("/model/affinity.json");
        HttpResponse<Buffer> row = get("/model/affinity/0.png");

        assertEquals(200, atoms.statusCode());
        assertEquals("image/png", atoms.getHeader("Content-Type"));
        assertEquals("4", atoms.getHeader("X-Model-Version"));
        assertEquals(AtomTiles.extent(Samples.ATOMS, Samples.PATCH_SIZE),
                FramePngTest.decode(atoms.body().getBytes()).getWidth());
        JsonObject first = groups.bodyAsJsonObject().getJsonArray("groups").getJsonObject(0);
        assertEquals(4, groups.bodyAsJsonObject().getLong("version"));
        assertEquals(3, first.getInteger("atom"), "the most used atom leads");
        assertEquals(200, row.statusCode());
        assertEquals(404, get("/model/affinity/99.png").statusCode());
    }

    /** The data-atom of every element of {@code tag} in an SVG answer, in document order. */
    private static List<Integer> atomsOf(HttpResponse<Buffer> svg, String tag) throws Exception {
        NodeList nodes = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.body().getBytes())).getElementsByTagName(tag);
        List<Integer> atoms = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            String atom = ((Element) nodes.item(i)).getAttribute("data-atom");
            if (!atom.isEmpty()) {
                atoms.add(Integer.parseInt(atom));
            }
        }
        return atoms;
    }

    @Test
    void shouldPageTheDictionaryAndDrawTheNeedlesOfEachPage() throws Exception {
        assertEquals(404, get("/model/atoms.json?page=0").statusCode());
        state.onModel(Samples.model(4));

        JsonObject last = get("/model/atoms.json?page=1&size=4").bodyAsJsonObject();
        HttpResponse<Buffer> png = get("/model/atoms.png?page=1&size=4");
        HttpResponse<Buffer> needles = get("/model/needles.svg?page=1&size=4");

        assertEquals(Samples.ATOMS, last.getInteger("atoms"));
        assertEquals(4, last.getInteger("first"));
        assertEquals(2, last.getInteger("count"), "the last page holds atoms 4 and 5 only");
        assertEquals(2, last.getInteger("pages"));
        BufferedImage tiles = FramePngTest.decode(png.body().getBytes());
        TileLayout layout = new TileLayout(Samples.PATCH_SIZE, 2, 2);
        assertEquals(layout.width(), tiles.getWidth());
        assertEquals(layout.height(), tiles.getHeight());
        assertEquals(255, tiles.getRaster().getSample(layout.x(0) + 0, layout.y(0) + 1, 0),
                "the first tile is atom 4, lit at pixel 4 = (row 1, column 0)");
        assertEquals("image/svg+xml", needles.getHeader("Content-Type"));
        assertEquals("4", needles.getHeader("X-Model-Version"));
        assertEquals(List.of(4, 5), atomsOf(needles, "svg"), "a box per atom of the page");
        assertEquals(List.of(4), atomsOf(needles, "line"), "atom 5 has no needle");
    }

    @Test
    void shouldRejectPagesThatDoNotExistSayingWhy() {
        state.onModel(Samples.model(4));

        HttpResponse<Buffer> past = get("/model/atoms.png?page=2&size=4");
        HttpResponse<Buffer> word = get("/model/needles.svg?size=many");

        assertEquals(400, past.statusCode());
        assertEquals("page 2 does not exist: 6 atoms in pages of 4 are pages 0 to 1\n", past.bodyAsString());
        assertEquals(400, word.statusCode());
        assertEquals("size must be a whole number, got 'many'\n", word.bodyAsString());
        assertEquals(400, get("/model/atoms.json?page=0&offset=1").statusCode());
        assertEquals(400, get("/model/atom/6.json").statusCode());
        assertEquals(400, get("/model/atom/x/affinity.svg").statusCode());
        assertEquals(400, get("/model/atom/0/affinity.svg?k=0").statusCode());
        assertEquals(200, get("/model/atoms.png?offset=5&size=1").statusCode());
    }

    @Test
    void shouldDrawAChosenAtomsAffinityGroupAsANeedlePlot() throws Exception {
        state.onModel(Samples.model(4));

        JsonObject atom = get("/model/atom/0.json").bodyAsJsonObject();
        HttpResponse<Buffer> plot = get("/model/atom/0/affinity.svg");
        HttpResponse<Buffer> two = get("/model/atom/0/affinity.svg?k=2");

        assertEquals(1, atom.getJsonArray("neighbours").getJsonArray(0).getInteger(0), "atom 1 points the same way");
        assertEquals(1.0, atom.getJsonArray("neighbours").getJsonArray(0).getDouble(1), 1e-4);
        assertEquals(5, atom.getJsonArray("neighbours").size(), "every other atom, fewer than 40");
        assertEquals(0, atom.getJsonObject("needle").getDouble("centreCol"));
        assertEquals(List.of(4, 3, 2, 1, 0), atomsOf(plot, "line"), "weakest first, atom 5 without needle, atom last");
        assertEquals(List.of(2, 1, 0), atomsOf(two, "line"));
    }

    @Test
    void shouldRenderInputAsPngKeepingGradient() throws IOException {
        state.onImage(Samples.horizontalGradient(Kind.INPUT, 9, 4, 0, 1));

        HttpResponse<Buffer> response = get("/frame/" + Samples.STREAM + "/input.png");

        assertEquals(200, response.statusCode());
        assertEquals("image/png", response.getHeader("Content-Type"));
        assertEquals("12", response.getHeader("X-Frame-Index"));
        BufferedImage png = FramePngTest.decode(response.body().getBytes());
        assertEquals(9, png.getWidth());
        assertEquals(4, png.getHeight());
        int[] row = FramePngTest.row(png, 2);
        assertEquals(0, row[0]);
        assertEquals(255, row[8]);
        for (int x = 1; x < row.length; x++) {
            assertTrue(row[x] > row[x - 1], "gradient order lost at x=" + x + ": " + Arrays.toString(row));
        }
    }

    @Test
    void shouldScaleImageSpacePicturesOnTheirOwnShared() throws IOException {
        state.onImage(Samples.horizontalGradient(Kind.WHITENED, 101, 2, -8, 8));
        state.onImage(Samples.horizontalGradient(Kind.UNWHITENED, 101, 2, -1, 1));
        state.onImage(Samples.horizontalGradient(Kind.RECONSTRUCTION_ALPHA_UNWHITENED, 101, 2, -0.5f, 0.5f));

        int[] unwhitened = FramePngTest.row(FramePngTest.decode(
                get("/frame/" + Samples.STREAM + "/unwhitened.png").body().getBytes()), 0);
        int[] reconstruction = FramePngTest.row(FramePngTest.decode(
                get("/frame/" + Samples.STREAM + "/reconstruction-alpha-unwhitened.png").body().getBytes()), 0);

        assertTrue(unwhitened[100] >= 254, "C x spans the range, whatever the whitened scale: " + unwhitened[100]);
        assertTrue(Math.abs(reconstruction[100] - 192) <= 2,
                "C Phi alpha at +0.5 on C x's scale: " + reconstruction[100]);
    }

    @Test
    void shouldScaleReconstructionLikeWhitened() throws IOException {
        state.onImage(Samples.horizontalGradient(Kind.WHITENED, 101, 2, -1, 1));
        state.onImage(Samples.horizontalGradient(Kind.RECONSTRUCTION_ALPHA, 101, 2, -0.5f, 0.5f));

        int[] whitened = FramePngTest.row(FramePngTest.decode(
                get("/frame/" + Samples.STREAM + "/whitened.png").body().getBytes()), 0);
        int[] reconstruction = FramePngTest.row(FramePngTest.decode(
                get("/frame/" + Samples.STREAM + "/reconstruction-alpha.png").body().getBytes()), 0);

        assertEquals(128, whitened[50], "zero is mid grey");
        assertEquals(128, reconstruction[50], "zero is mid grey");
        assertTrue(whitened[100] >= 254, "whitened spans the range: " + whitened[100]);
        // Half the amplitude of the whitened picture shows as half the contrast, not stretched to full.
        assertTrue(Math.abs(reconstruction[100] - 192) <= 2, "reconstruction at +0.5: " + reconstruction[100]);
        for (int x = 1; x < reconstruction.length; x++) {
            assertTrue(reconstruction[x] >= reconstruction[x - 1], "order lost at x=" + x);
        }
    }

    /** The next-frame pictures are served together, of the frame measured, not of the newest prediction. */
    @Test
    void shouldServeTheNextFramePicturesOfTheMeasuredFrame() {
        int size = Samples.FRAME_SIZE;
        for (Kind kind : List.of(Kind.PREDICTION_TARGET, Kind.PREDICTION_COPY_LAST, Kind.PREDICTION_PIXELS,
                Kind.PREDICTION_BETA)) {
            state.onImage(Samples.horizontalGradient(kind, size, size, -1, 1));
        }
        state.onImage(new FrameImage(Samples.STREAM, 15, Kind.PREDICTION_BETA, size, size, new float[size * size]));

        for (String name : List.of("next-target", "next-beta", "NEXT_COPY_LAST", "next-pixels")) {
            HttpResponse<Buffer> response = get("/frame/" + Samples.STREAM + "/" + name + ".png");
            assertEquals(200, response.statusCode(), name + ": " + response.bodyAsString());
            assertEquals("12", response.getHeader("X-Frame-Index"), name + " shows the frame measured, not 15");
        }
        assertEquals("15", get("/frame/" + Samples.STREAM + "/prediction-beta.png").getHeader("X-Frame-Index"),
                "the newest prediction, as sent");
        assertEquals(404, get("/frame/nosuch/next-target.png").statusCode());
        assertTrue(get("/frame/" + Samples.STREAM + "/thermal.png").bodyAsString().contains("next-copy-last"));
    }

    @Test
    void shouldDecodeStreamIdInPath() {
        var image = Samples.horizontalGradient(Kind.INPUT, 4, 4, 0, 1);
        state.onImage(new FrameImage("front door", 3, Kind.INPUT, 4, 4, image.pixels()));

        HttpResponse<Buffer> response = get("/frame/front%20door/INPUT.png");

        assertEquals(200, response.statusCode(), response.bodyAsString());
        assertEquals("3", response.getHeader("X-Frame-Index"));
    }

    @Test
    void shouldAnswer404ForUnknownStreamOrKind() {
        state.onImage(Samples.horizontalGradient(Kind.INPUT, 4, 4, 0, 1));

        HttpResponse<Buffer> unknownStream = get("/frame/nosuch/input.png");
        HttpResponse<Buffer> missingKind = get("/frame/" + Samples.STREAM + "/whitened.png");
        HttpResponse<Buffer> unknownKind = get("/frame/" + Samples.STREAM + "/thermal.png");

        assertEquals(404, unknownStream.statusCode());
        assertTrue(unknownStream.bodyAsString().contains("nosuch"), unknownStream.bodyAsString());
        assertEquals(404, missingKind.statusCode());
        assertEquals(404, unknownKind.statusCode());
        assertTrue(unknownKind.bodyAsString().contains("reconstruction_alpha"), unknownKind.bodyAsString());
    }

    @Test
    void shouldReportHealthOfFeed() {
        HttpResponse<Buffer> down = get("/health");
        assertEquals(503, down.statusCode());
        assertEquals("DOWN", down.bodyAsJsonObject().getString("status"));

        feed.running = true;
        state.onMetrics(Samples.metrics(Samples.STREAM, 0, 10));
        HttpResponse<Buffer> up = get("/health");

        assertEquals(200, up.statusCode());
        assertEquals("application/json", up.getHeader("Content-Type"));
        JsonObject body = up.bodyAsJsonObject();
        assertEquals("UP", body.getString("status"));
        assertEquals(StubFeed.DETAIL, body.getString("feed"));
        assertEquals(new JsonArray().add(Samples.STREAM), body.getJsonArray("streams"));
        assertEquals(0, body.getLong("deadLetters"));
        assertTrue(body.containsKey("modelVersion") && body.getValue("modelVersion") == null, body.encode());
    }

    @Test
    void shouldExposePrometheusMetrics() {
        state.onMetrics(Samples.metrics(Samples.STREAM, 3, 12.5));
        state.onImage(Samples.horizontalGradient(Kind.INPUT, 4, 4, 0, 1));
        state.onMalformed(Topics.PREVIEW.name());

        HttpResponse<Buffer> response = get("/metrics");

        assertEquals(200, response.statusCode());
        assertTrue(response.getHeader("Content-Type").startsWith("text/plain"), response.getHeader("Content-Type"));
        String text = response.bodyAsString();
        assertMetric(text, "smt_web_frames_seen_total\\{stream=\"cam0\"} 1(\\.0)?");
        assertMetric(text, "smt_web_snr_alpha_db\\{stream=\"cam0\"} 12\\.5");
        assertMetric(text, "smt_web_model_version\\{stream=\"cam0\"} 7(\\.0)?");
        assertMetric(text, "smt_web_latency_seconds_count\\{stream=\"cam0\"} 1(\\.0)?");
        // Percentiles are approximations (buckets); 40 ms comes out within a few percent.
        assertMetric(text, "smt_web_latency_seconds\\{stream=\"cam0\",quantile=\"0\\.99\"} 0\\.0(39|4)\\d*");
        assertMetric(text, "smt_web_images_seen_total\\{kind=\"INPUT\",stream=\"cam0\"} 1(\\.0)?");
        assertMetric(text, "smt_web_records_malformed_total\\{topic=\"smt\\.preview\"} 1(\\.0)?");
        assertMetric(text, "smt_web_records_malformed_total\\{topic=\"smt\\.metrics\"} 0(\\.0)?");
        assertMetric(text, "smt_web_sse_clients 0(\\.0)?");
    }

    @Test
    void shouldExposeDeadLettersModelAndProgressMetrics() {
        state.onDeadLetter(DeadLetterCountsTest.deadLetter("x.IncompatibleFrameException", "patch size"));
        state.onDeadLetter(DeadLetterCountsTest.deadLetter("x.IncompatibleFrameException", "patch size"));
        state.onModel(Samples.model(3));
        state.onPatches(Samples.patches(Samples.STREAM, 5));
        state.onPatches(Samples.patches(Samples.STREAM, 8));
        state.onMetrics(Samples.metrics(Samples.STREAM, 6, 12.5));

        String text = get("/metrics").bodyAsString();

        assertMetric(text, "smt_dlq_records_total\\{reason=\"IncompatibleFrameException\"} 2(\\.0)?");
        assertMetric(text, "smt_model_version 3(\\.0)?");
        assertMetric(text, "smt_rejected_updates 2(\\.0)?");
        assertMetric(text, "smt_web_model_versions_total 1(\\.0)?");
        assertMetric(text, "smt_learning_frames_arrived 375(\\.0)?");
        assertMetric(text, "smt_learning_frames_learned 300(\\.0)?");
        assertMetric(text, "smt_learning_stream_frames_learned\\{stream=\"cam0\"} 300(\\.0)?");
        assertMetric(text, "smt_web_frame_gaps_total\\{stream=\"cam0\",topic=\"smt\\.patches\"} 2(\\.0)?");
        assertMetric(text, "smt_web_lag_frames\\{stream=\"cam0\"} 2(\\.0)?");
        assertMetric(text, "smt_web_trajectory_bytes [1-9][0-9.E]*");
    }

    @Test
    void shouldExposeWhatIngestLostAndTheProcessorSkippedPerStream() {
        state.onPatches(Samples.patches(Samples.STREAM, 5), new IngestFaults(1, 2, 3, 4500, 44));
        state.onPatches(Samples.patches(Samples.STREAM, 6), new IngestFaults(4, 2, 3, 4500, 44));
        FrameMetrics m = Samples.metrics(Samples.STREAM, 6, 12.5);
        state.onMetrics(new FrameMetrics(m.streamId(), m.frameIndex(), m.captureTimeMs(), m.processedTimeMs(),
                m.modelVersion(), m.snrAlphaDb(), m.snrBetaDb(), m.activeFraction(), m.iterations(), m.objective(),
                m.curvaturePixels(), m.curvatureAlpha(), m.curvatureBeta(), 17));

        String text = get("/metrics").bodyAsString();
        assertMetric(text, "smt_web_ingest_frames_dropped_total\\{stream=\"cam0\"} 4(\\.0)?");
        assertMetric(text, "smt_web_ingest_frames_corrupt_total\\{stream=\"cam0\"} 2(\\.0)?");
        assertMetric(text, "smt_web_ingest_frames_lost_total\\{stream=\"cam0\"} 44(\\.0)?");
        assertMetric(text, "smt_web_ingest_outages_total\\{stream=\"cam0\"} 3(\\.0)?");
        assertMetric(text, "smt_web_ingest_outage_seconds_total\\{stream=\"cam0\"} 4\\.5");
        assertMetric(text, "smt_web_frames_stale_total\\{stream=\"cam0\"} 17(\\.0)?");

        JsonObject faults = new JsonObject(StateJson.encode(state.view(Map.of()), Samples.STREAM, Optional.empty(),
                List.of())).getJsonArray("streams").getJsonObject(0).getJsonObject("faults");
        assertEquals(new JsonObject().put("dropped", 4).put("corrupt", 2).put("outages", 3).put("outageMs", 4500)
                .put("lost", 44).put("stale", 17), faults, "the newest counts, on the page as on /metrics");
    }

    private static void assertMetric(String text, String lineRegex) {
        assertTrue(Pattern.compile("^" + lineRegex + "$", Pattern.MULTILINE).matcher(text).find(),
                "no line matching " + lineRegex + " in\n" + text);
    }

    @Test
    void shouldFailClearlyOnBusyPort() {
        WebServer second = new WebServer(WebOptions.localhost(server.port()), new LiveState(), new StubFeed());

        IllegalStateException e = assertThrows(IllegalStateException.class, second::start);

        assertTrue(e.getMessage().startsWith("Cannot bind the web view to 127.0.0.1:" + server.port()), e.getMessage());
        second.close();
    }

    @Test
    void shouldStopFeedOnClose() {
        server.close();

        assertTrue(feed.closed);
    }
}
