package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.smtstream.model.wire.FrameImage.Kind;

/** A server with a token, on loopback (the same check guards any address). */
@ExtendWith(VertxExtension.class)
class TokenAuthTest {

    private static final String HOST = "127.0.0.1";
    private static final String TOKEN = "s3cret-token";

    private final LiveState state = new LiveState();
    private WebServer server;
    private WebClient client;

    @BeforeEach
    void startServer(Vertx vertx) {
        server = new WebServer(new WebOptions(HOST, 0, TOKEN), state, new StubFeed());
        server.start();
        client = WebClient.create(vertx);
        state.onImage(Samples.horizontalGradient(Kind.INPUT, 4, 4, 0, 1));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private HttpRequest<Buffer> request(String path) {
        return client.get(server.port(), HOST, path);
    }

    @Test
    void shouldRejectRequestsWithoutToken() {
        for (String path : new String[] {"/", "/app.js", "/js/sse.js", "/events", "/metrics", "/health",
                "/frame/" + Samples.STREAM + "/input.png", "/webjars/echarts/5.3.1/dist/echarts.min.js",
                "/trajectory/" + Samples.STREAM + "?patch=0", "/model/atoms.png", "/model/affinity.json",
                "/model/affinity/0.png"}) {
            var response = request(path).send().await();

            assertEquals(401, response.statusCode(), path);
            assertTrue(response.getHeader("WWW-Authenticate").startsWith("Bearer"), path);
        }
    }

    @Test
    void shouldRefuseEveryRequestWithoutTokenWhenBoundBeyondLoopback(Vertx vertx) {
        WebServer open = new WebServer(new WebOptions("0.0.0.0", 0, TOKEN), new LiveState(), new StubFeed());
        open.start();
        try {
            for (String path : new String[] {"/", "/metrics", "/events", "/trajectory/cam0?patch=0"}) {
                var refused = client.get(open.port(), HOST, path).send().await();
                assertEquals(401, refused.statusCode(), path + " on a server bound to 0.0.0.0");
            }
            assertEquals(200, client.get(open.port(), HOST, "/metrics").bearerTokenAuthentication(TOKEN)
                    .send().await().statusCode());
        } finally {
            open.close();
        }
    }

    @Test
    void shouldRejectWrongToken() {
        assertEquals(401, request("/?token=guess").send().await().statusCode());
        assertEquals(401, request("/").bearerTokenAuthentication("guess").send().await().statusCode());
        assertEquals(401, request("/").putHeader("Authorization", "Basic " + TOKEN).send().await().statusCode());
    }

    @Test
    void shouldAcceptTokenAsBearerHeader() {
        assertEquals(200, request("/").bearerTokenAuthentication(TOKEN).send().await().statusCode());
        assertEquals(200, request("/metrics").bearerTokenAuthentication(TOKEN).send().await().statusCode());
    }

    @Test
    void shouldAcceptTokenForTrajectoriesAndModelPictures() {
        state.onPatches(Samples.patches(Samples.STREAM, 0));
        state.onModel(Samples.model(1));

        assertEquals(200,
                request("/trajectory/" + Samples.STREAM + "?patch=0&token=" + TOKEN).send().await().statusCode());
        assertEquals(200, request("/model/atoms.png?v=1&token=" + TOKEN).send().await().statusCode());
        assertEquals(200, request("/model/affinity.json").bearerTokenAuthentication(TOKEN).send().await().statusCode());
    }

    @Test
    void shouldAcceptTokenAsQueryForPageScriptsAndPictures() {
        assertEquals(200, request("/?token=" + TOKEN).send().await().statusCode());
        assertEquals(200, request("/app.js?token=" + TOKEN).send().await().statusCode());
        assertEquals(200, request("/js/sse.js?token=" + TOKEN).send().await().statusCode(),
                "a page module, as the import map requests it");
        assertEquals(200, request("/webjars/echarts/5.3.1/dist/echarts.min.js?token=" + TOKEN)
                .send().await().statusCode());
        assertEquals(200, request("/frame/" + Samples.STREAM + "/input.png?f=12&token=" + TOKEN)
                .send().await().statusCode());
    }

    @Test
    void shouldOpenEventStreamWithTokenInQuery(Vertx vertx) {
        HttpClient http = vertx.createHttpClient();

        HttpClientResponse response = http.request(HttpMethod.GET, server.port(), HOST, "/events?token=" + TOKEN)
                .compose(request -> request.send())
                .await();

        assertEquals(200, response.statusCode());
        assertTrue(response.getHeader("Content-Type").startsWith("text/event-stream"));
        response.exceptionHandler(closedByUs -> { }); // the stream never ends; closing the client cuts it
        http.close().await();
    }
}
