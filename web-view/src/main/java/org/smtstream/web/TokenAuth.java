package org.smtstream.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a request through only if it carries the token, as {@code Authorization: Bearer <token>}
 * or as {@code ?token=<token>}: a browser cannot add headers to the page, its scripts, its pictures
 * or an EventSource, so the page passes the query parameter on to everything it loads.
 */
final class TokenAuth implements Handler<RoutingContext> {

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    TokenAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (isToken(bearerCredential(ctx.request().getHeader("Authorization")))
                || isToken(ctx.request().getParam("token"))) {
            ctx.next();
            return;
        }
        ctx.response()
                .setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"smt-stream\"")
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("This web view needs its token: send 'Authorization: Bearer <token>' or open the page"
                        + " with ?token=<token>\n");
    }

    private static String bearerCredential(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).strip();
    }

    private boolean isToken(String candidate) {
        // Constant time, so response timing does not reveal how much of a guess was right.
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
