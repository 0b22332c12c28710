package org.smtstream.deploy;

import picocli.CommandLine.Option;

/** Flags of the web view: where it listens and the token that guards a non-loopback bind. */
public final class WebOptionsMixin {

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address the web view listens on. Default: ${DEFAULT-VALUE}. "
                    + "Any non-loopback address requires --token.")
    String bind;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of the web view. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Access token required on every request (Authorization: Bearer TOKEN or ?token=TOKEN).")
    String token;
}
