package org.smtstream.web;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.Needles;
import org.smtstream.model.SmtModel;
import org.smtstream.model.Topics;
import org.smtstream.model.store.ModelAssembler;
import org.smtstream.model.wire.FrameImage;
import org.smtstream.model.wire.IngestFaults;

/**
 * Which topics the web view reads, how far back it starts in each, and where each record goes.
 * One instance per consumer thread: the model assembler it holds is not thread-safe.
 */
final class RecordRouter {

    /** Topics whose values are decoded, so a record may be malformed. */
    static final List<String> DECODED_TOPICS = List.of(Topics.METRICS.name(), Topics.PREVIEW.name(),
            Topics.PATCHES.name(), Topics.CODES.name(), Topics.EMBEDDINGS.name(), Topics.MODEL.name());
    /** Every topic read. */
    static final List<String> TOPICS = List.of(Topics.METRICS.name(), Topics.PREVIEW.name(),
            Topics.PATCHES.name(), Topics.CODES.name(), Topics.EMBEDDINGS.name(), Topics.MODEL.name(),
            Topics.DLQ.name());
    /**
     * Topics without which the page shows nothing; the feed says it is waiting for them. The others
     * (a processor version may not write embeddings yet; the model and DLQ topics appear later) are
     * read from whenever they exist.
     */
    static final List<String> REQUIRED_TOPICS = List.of(Topics.METRICS.name(), Topics.PREVIEW.name());

    /** Back to the first retained record. */
    static final long FROM_BEGINNING = Long.MAX_VALUE;
    /** Preview records re-read per partition at start-up: a few frames' worth of every kind. */
    static final int PREVIEW_BACKLOG = 4 * FrameImage.Kind.values().length;

    /** What to do with a record whose value does not decode. */
    interface MalformedHandler {
        void skip(ConsumerRecord<String, byte[]> record, RuntimeException cause);
    }

    private final LiveState state;
    private final MalformedHandler malformed;
    private final ModelAssembler assembler = new ModelAssembler();
    private final Map<String, Route> routes;

    RecordRouter(LiveState state, MalformedHandler malformed) {
        this.state = state;
        this.malformed = malformed;
        this.routes = Map.of(
                Topics.METRICS.name(), decoding(Topics.METRICS, state::onMetrics),
                Topics.PREVIEW.name(), decoding(Topics.PREVIEW, state::onImage),
                Topics.PATCHES.name(), decoding(Topics.PATCHES,
                        (frame, headers) -> state.onPatches(frame, IngestFaults.of(headers))),
                Topics.CODES.name(), decoding(Topics.CODES, state::onCodes),
                Topics.EMBEDDINGS.name(), decoding(Topics.EMBEDDINGS, state::onEmbeddings),
                Topics.MODEL.name(), decoding(Topics.MODEL,
                        chunk -> assembler.accept(chunk).map(RecordRouter::snapshot).ifPresent(state::onModel)),
                // Dead letters are counted, never decoded: their bytes are what could not be read.
                Topics.DLQ.name(), r -> state.onDeadLetter(r.headers()));
    }

    /**
     * Records re-read per partition when the viewer starts: a full chart of metrics, a few pictures,
     * two trajectory windows of the per-frame topics (streams may share a partition), and all of the
     * DLQ (so its count is the topic's) and of the compacted model topic (so a version is complete).
     */
    long backlog(String topic) {
        if (topic.equals(Topics.METRICS.name())) {
            return state.historyLimit();
        }
        if (topic.equals(Topics.PREVIEW.name())) {
            return PREVIEW_BACKLOG;
        }
        if (topic.equals(Topics.DLQ.name()) || topic.equals(Topics.MODEL.name())) {
            return FROM_BEGINNING;
        }
        return 2L * state.trajectories().window();
    }

    void route(ConsumerRecord<String, byte[]> record) {
        Route route = routes.get(record.topic());
        if (route != null) {
            route.accept(record);
        }
    }

    static ModelSnapshot snapshot(SmtModel model) {
        ModelInfo info = model.info();
        return new ModelSnapshot(model.version(), model.config().patchSize(), model.phi(), model.p(),
                model.meanActivity() == null ? null : model.meanActivity().data(),
                model.needles() == null ? null : new Needles(model.needles()),
                info.parentVersion(), info.createdAtMs(), info.framesSeen(), info.rejectedUpdates(), info.note(),
                info.stats());
    }

    private <T> Route decoding(Topics.Topic<String, T> topic, Consumer<T> sink) {
        return decoding(topic, (value, headers) -> sink.accept(value));
    }

    /** Decodes the value and hands it on with the headers; a tombstone is skipped, an undecodable value counted. */
    private <T> Route decoding(Topics.Topic<String, T> topic, BiConsumer<T, Headers> sink) {
        Deserializer<T> deserializer = topic.valueSerde().deserializer();
        return record -> {
            T value;
            try {
                value = deserializer.deserialize(record.topic(), record.value());
            } catch (RuntimeException e) {
                malformed.skip(record, e);
                return;
            }
            if (value != null) {
                sink.accept(value, record.headers());
            }
        };
    }

    private interface Route {
        void accept(ConsumerRecord<String, byte[]> record);
    }
}
