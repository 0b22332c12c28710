package org.smtstream.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.smtstream.web.LiveState.View;

/**
 * {@code GET /events}: server-sent events carrying {@link StateJson} at a fixed rate. Pushing on a
 * timer instead of per record batches the pipeline's 10-90 records a second into a few messages,
 * and the state is read on the event loop, so nothing crosses threads but {@link LiveState}'s copies.
 */
final class EventStream implements Handler<RoutingContext> {

    /** 5 Hz: smooth enough for charts and pictures, light for the browser. */
    static final long PERIOD_MS = 200;

    private final LiveState state;
    private final AtomicInteger clients = new AtomicInteger();
    private final Counter deferred;

    EventStream(LiveState state, MeterRegistry registry) {
        this.state = state;
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
        Client client = new Client(response);
        client.push();
        long timer = ctx.vertx().setPeriodic(PERIOD_MS, id -> client.push());
        clients.incrementAndGet();
        response.closeHandler(v -> {
            ctx.vertx().cancelTimer(timer);
            clients.decrementAndGet();
        });
    }

    /** One browser tab: remembers the last point sent per stream so each point goes out once. */
    private final class Client {
        private final HttpServerResponse response;
        private final Map<String, Long> cursors = new HashMap<>();

        Client(HttpServerResponse response) {
            this.response = response;
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
            View view = state.view(cursors);
            response.write("event: state\ndata: " + StateJson.encode(view) + "\n\n");
            view.streams().forEach(s -> cursors.put(s.streamId(), s.lastSeq()));
        }
    }
}
