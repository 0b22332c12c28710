package org.smtstream.processor.streams;

import java.util.concurrent.atomic.AtomicReference;
import org.smtstream.model.SmtModel;

/**
 * The newest complete model version seen on {@code smt.model} by this Kafka Streams instance.
 * Written by the global thread ({@link ModelFollower}), read by every task: models are immutable
 * values, and each task copies a new version into its own ND4J arrays (ARCHITECTURE.md, trap T2).
 */
public final class ModelRegistry {

    private final AtomicReference<SmtModel> latest = new AtomicReference<>();

    /** Keeps {@code model} if it is newer than what is held; returns whether it was. */
    public boolean offer(SmtModel model) {
        SmtModel before = latest.getAndAccumulate(model,
                (held, offered) -> held == null || offered.version() > held.version() ? offered : held);
        return before == null || model.version() > before.version();
    }

    /** The newest version, or null before any has arrived. */
    public SmtModel latest() {
        return latest.get();
    }

    /** Its version number, or -1. */
    public long latestVersion() {
        SmtModel model = latest.get();
        return model == null ? -1 : model.version();
    }
}
