package org.smtstream.processor.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.model.store.ModelAssembler;
import org.smtstream.model.wire.ModelChunk;

/**
 * The global-store processor of {@code smt.model}: every instance reads every chunk, reassembles
 * complete versions and offers them to its {@link ModelRegistry}, so an instance on another
 * machine needs nothing but Kafka to follow the learner. The chunks are also kept in the global
 * store (keyed as on the topic), and {@link #init} reassembles from it, so the newest version is
 * known as soon as the store is restored, whether or not restoration replays through here.
 * A version built for another configuration is refused with one log line.
 */
final class ModelFollower implements Processor<String, ModelChunk, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFollower.class);

    private final String storeName;
    private final SmtConfig config;
    private final ModelRegistry registry;
    private final ModelAssembler assembler = new ModelAssembler();
    private KeyValueStore<String, ModelChunk> chunks;

    ModelFollower(String storeName, SmtConfig config, ModelRegistry registry) {
        this.storeName = storeName;
        this.config = config;
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        chunks = context.getStateStore(storeName);
        try (KeyValueIterator<String, ModelChunk> all = chunks.all()) {
            all.forEachRemaining(entry -> assemble(entry.value));
        }
    }

    @Override
    public void process(Record<String, ModelChunk> record) {
        if (record.key() == null) {
            return;
        }
        chunks.put(record.key(), record.value());
        if (record.value() != null) {
            assemble(record.value());
        }
    }

    private void assemble(ModelChunk chunk) {
        assembler.accept(chunk).ifPresent(this::offer);
    }

    private void offer(SmtModel model) {
        if (model.phi().rows() != config.patchDim() || model.phi().cols() != config.dictionarySize()) {
            LOG.error("Ignoring model v{}: its dictionary is {} x {} but this processor needs {} x {}",
                    model.version(), model.phi().rows(), model.phi().cols(), config.patchDim(),
                    config.dictionarySize());
            return;
        }
        if (registry.offer(model)) {
            LOG.info("Model v{} available ({} frames learned)", model.version(), model.info().framesSeen());
        }
    }
}
