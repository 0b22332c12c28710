package org.smtstream.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Where the web view listens and the token it demands.
 *
 * @param host  interface to bind; blank means {@value #DEFAULT_HOST}
 * @param port  TCP port, 0 picks a free one (read it back with {@link WebServer#port()})
 * @param token shared secret every request must carry; blank or null means none, which is only
 *              allowed on a loopback address
 */
public record WebOptions(String host, int port, String token) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public WebOptions {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
        token = token == null || token.isBlank() ? null : token;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Invalid web port: " + port + " (0-65535; 0 picks a free port)");
        }
        if (token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("Refusing to bind the web view to " + host
                    + " without a token: anyone who can reach that address would see the feed."
                    + " Set a token or bind " + DEFAULT_HOST + ".");
        }
    }

    /** No token, loopback only: the safe default for a local viewer. */
    public static WebOptions localhost(int port) {
        return new WebOptions(DEFAULT_HOST, port, null);
    }

    public boolean requiresToken() {
        return token != null;
    }

    /** Never prints the token: options end up in logs. */
    @Override
    public String toString() {
        return "WebOptions[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "***") + "]";
    }

    /** True only if every address the name resolves to is loopback; "0.0.0.0" is not. */
    private static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            return Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Unknown web host: " + host, e);
        }
    }
}
