package org.smtstream.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.Json;

/**
 * The live web view: a page with the current frames and learning curves, fed by server-sent events.
 *
 * <pre>
 * /                               the page (webroot/index.html, app.js, app.css)
 * /webjars/*                      echarts and other WebJars, URLs include the version
 * /events[?stream=id]             server-sent events, 5 per second (see StateJson)
 * /frame/{streamId}/{kind}.png    latest picture of a kind: input, whitened, reconstruction_alpha, ...
 * /trajectory/{streamId}?patch=i  recent paths of a patch location, PCA-projected (see TrajectoryJson)
 * /model/...                      atom grid and affinity groups (see ModelHandlers)
 * /health                         JSON; 200 while the feed is reading Kafka, 503 otherwise
 * /metrics                        Prometheus text
 * </pre>
 * With a token in the options every route demands it (see {@link TokenAuth}).
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final long START_TIMEOUT_S = 30;
    private static final long CLOSE_TIMEOUT_S = 10;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final WebOptions options;
    private final LiveState state;
    private final Feed feed;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Vertx vertx;
    private HttpServer server;

    /**
     * The production shape: reads the pipeline's topics from the Kafka cluster named in
     * {@code kafkaConsumerProps} ({@code bootstrap.servers} at least).
     */
    public WebServer(WebOptions options, Properties kafkaConsumerProps) {
        this(options, new LiveState(), kafkaConsumerProps);
    }

    private WebServer(WebOptions options, LiveState state, Properties kafkaConsumerProps) {
        this(options, state, new PipelineFeed(kafkaConsumerProps, state));
    }

    /** Shows {@code state}, which {@code feed} fills; tests pass a state they feed themselves. */
    public WebServer(WebOptions options, LiveState state, Feed feed) {
        this.options = options;
        this.state = state;
        this.feed = feed;
        state.bindTo(registry);
    }

    /**
     * Binds and starts the feed, blocking until the port is bound.
     *
     * @return the page's URL
     * @throws IllegalStateException naming the address if it cannot be bound (a busy port)
     */
    public String start() {
        try {
            return startAsync().await(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("The web view did not start within " + START_TIMEOUT_S + " s", e);
        }
    }

    /** As {@link #start()}, for callers that must not block; the future fails with the same message. */
    public synchronized Future<String> startAsync() {
        if (vertx != null) {
            throw new IllegalStateException("The web server was already started");
        }
        // Vert.x copies the classpath files it serves (page, WebJars) into a cache directory; name one
        // under the temp directory, as the working directory need not be writable (ARCHITECTURE.md, trap T21).
        vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(new FileSystemOptions()
                .setFileCacheDir(Path.of(System.getProperty("java.io.tmpdir"), "smt-web-view").toString())));
        return vertx.createHttpServer()
                .requestHandler(router(vertx))
                .listen(options.port(), options.host())
                .transform(bound -> bound.succeeded()
                        ? Future.succeededFuture(started(bound.result()))
                        : startFailed(bound.cause()));
    }

    private synchronized String started(HttpServer bound) {
        server = bound;
        feed.start();
        LOG.info("Web view at {} ({})", url(), options);
        return url();
    }

    /** Releases the half-started Vert.x, so start() may be tried again, and says what went wrong. */
    private Future<String> startFailed(Throwable cause) {
        Vertx failed;
        synchronized (this) {
            failed = vertx;
            vertx = null;
        }
        // Not chained: this runs on the event loop that close() shuts down, so a callback after it never runs.
        failed.close();
        return Future.failedFuture(new IllegalStateException("Cannot bind the web view to "
                + options.host() + ":" + options.port() + ": " + rootMessage(cause), cause));
    }

    /** The bound port (the real one when the options asked for port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The web server is not started");
        }
        return server.actualPort();
    }

    /** The page's URL, without the token. */
    public String url() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port() + "/";
    }

    public LiveState state() {
        return state;
    }

    /** Stops the feed and the server; safe to call more than once. */
    @Override
    public void close() {
        Vertx running;
        synchronized (this) {
            running = vertx;
            vertx = null;
            server = null;
        }
        feed.close();
        if (running != null) {
            // Not under the lock: closing needs the event loop, which may be waiting for it in started().
            try {
                running.close().await(CLOSE_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Web server did not close cleanly: {}", e.toString());
            }
        }
        registry.close();
    }

    private Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        if (options.requiresToken()) {
            router.route().handler(new TokenAuth(options.token()));
        }
        router.get("/health").handler(this::health);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", PROMETHEUS_TEXT)
                .end(registry.scrape()));
        router.get("/events").handler(new EventStream(state, registry));
        router.getWithRegex(FrameHandler.PATH).handler(new FrameHandler(state));
        router.get(TrajectoryHandler.PATH).handler(new TrajectoryHandler(state.trajectories()));
        new ModelHandlers(state.model()).mount(router);
        router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        // The page is tiny and changes between versions: no stale copies in the browser.
        router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        return router;
    }

    private void health(RoutingContext ctx) {
        Feed.Status status = feed.status();
        ObjectNode body = Json.object()
                .put("status", status.running() ? "UP" : "DOWN")
                .put("feed", status.detail());
        body.set("streams", Json.tree(state.streamIds()));
        body.put("malformed", state.malformedCount())
                .put("deadLetters", state.deadLetterCount())
                .put("modelVersion", state.model().latest().map(ModelSnapshot::version).orElse(null));
        ctx.response()
                .setStatusCode(status.running() ? 200 : 503)
                .putHeader("Content-Type", "application/json")
                .end(Json.write(body));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
