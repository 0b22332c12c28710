package org.smtstream.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.smtstream.web.LiveState.View;

/**
 * {@code GET /events[?stream=id]}: server-sent events carrying {@link StateJson} at a fixed rate,
 * after one {@code config} event that tells the page how much history the server keeps.
 * Pushing on a timer instead of per record batches the pipeline's 10-90 records a second into a few
 * messages, and the state is read on the event loop, so nothing crosses threads but
 * {@link LiveState}'s copies.
 *
 * <p>A client follows one stream: the one it names, or else the first there is when it connects.
 * Only that stream's chart points are sent; every stream's totals go to every client, for the
 * picker. Choosing another stream is a new connection, which starts with that stream's history.
 */
final class EventStream implements Handler<RoutingContext> {

    /** 5 Hz: smooth enough for charts and pictures, light for the browser. */
    static final long PERIOD_MS = 200;

    private final LiveState state;
    private final String configEvent;
    private final AtomicInteger clients = new AtomicInteger();
    private final Counter deferred;

    EventStream(LiveState state, MeterRegistry registry) {
        this.state = state;
        this.configEvent = "event: config\ndata: " + StateJson.config(state.historyLimit(), ModelState.HISTORY,
                state.trajectories().window(), StatusWindow.POINTS) + "\n\n";
        Gauge.builder("smt.web.sse.clients", clients, AtomicInteger::get)
                .description("Open /events streams").register(registry);
        deferred = Counter.builder("smt.web.sse.pushes.deferred")
                .description("Pushes put off because a client was not reading fast enough").register(registry);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                // Proxies such as nginx would otherwise hold events back to fill a buffer.
                .putHeader("X-Accel-Buffering", "no");
        response.write("retry: 2000\n\n");
        response.write(configEvent);
        String stream = ctx.request().getParam("stream");
        Client client = new Client(response, stream == null || stream.isBlank() ? null : stream);
        client.push();
        long timer = ctx.vertx().setPeriodic(PERIOD_MS, id -> client.push());
        clients.incrementAndGet();
        response.closeHandler(v -> {
            ctx.vertx().cancelTimer(timer);
            clients.decrementAndGet();
        });
    }

    /** One browser tab: remembers the last point and model version sent, so each goes out once. */
    private final class Client {
        private final HttpServerResponse response;
        private final Map<String, Long> cursors = new HashMap<>();
        private String selected;
        private long modelCursor = -1;

        Client(HttpServerResponse response, String selected) {
            this.response = response;
            this.selected = selected;
        }

        void push() {
            if (response.closed()) {
                return;
            }
            if (response.writeQueueFull()) {
                // write() never blocks and would queue without bound. The cursors stay where they
                // are, so the next push that fits carries these points too: nothing is dropped.
                deferred.increment();
                return;
            }
            if (selected == null) {
                List<String> streams = state.streamIds();
                selected = streams.isEmpty() ? null : streams.get(0);
            }
            String following = selected;
            View view = state.view(cursors, id -> id.equals(following));
            ModelState model = state.model();
            Optional<ModelSnapshot> latest = model.latest();
            List<ModelState.VersionPoint> modelPoints = model.pointsAfter(modelCursor);
            response.write("event: state\ndata: " + StateJson.encode(view, following, latest, modelPoints) + "\n\n");
            view.streams().stream().filter(s -> s.streamId().equals(following))
                    .forEach(s -> cursors.put(s.streamId(), s.lastSeq()));
            if (!modelPoints.isEmpty()) {
                modelCursor = modelPoints.get(modelPoints.size() - 1).version();
            }
        }
    }
}
