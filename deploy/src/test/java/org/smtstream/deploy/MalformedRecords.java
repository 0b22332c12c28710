package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.smtstream.model.Topics;
import org.smtstream.model.wire.PatchFrame;

/**
 * Records on smt.patches that the processor must not code, in three kinds, cycled: bytes that are
 * no record at all, a valid frame under a format version no build reads, and a well-formed frame
 * whose patch geometry is not the model's. Each kind has the phrase its dead letter's reason must
 * contain.
 */
final class MalformedRecords {

    enum Kind {
        GARBAGE("Malformed PATCH_FRAME record"),
        UNKNOWN_VERSION("format version 99"),
        WRONG_GEOMETRY("patch geometry (frame 64, patch 16, stride 16) does not match");

        final String reason;

        Kind(String reason) {
            this.reason = reason;
        }
    }

    private final String key;
    private final List<byte[]> payloads = new ArrayList<>();
    private final List<Kind> kinds = new ArrayList<>();

    private MalformedRecords(String key) {
        this.key = key;
    }

    static MalformedRecords generate(String key, int count, long seed) {
        Random random = new Random(seed);
        MalformedRecords out = new MalformedRecords(key);
        for (int i = 0; i < count; i++) {
            Kind kind = Kind.values()[i % Kind.values().length];
            out.kinds.add(kind);
            out.payloads.add(switch (kind) {
                case GARBAGE -> {
                    byte[] bytes = new byte[4 + random.nextInt(300)];
                    random.nextBytes(bytes);
                    bytes[0] = 0;   // never the magic 'S', so it cannot decode by chance
                    bytes[1] = (byte) (i >>> 16);   // the index keeps every record distinct
                    bytes[2] = (byte) (i >>> 8);
                    bytes[3] = (byte) i;
                    yield bytes;
                }
                case UNKNOWN_VERSION -> {
                    byte[] bytes = frame(key, 1_000_000 + i, 128, random).toBytes();
                    bytes[3] = 99;   // header: 'S' 'M' type version
                    yield bytes;
                }
                case WRONG_GEOMETRY -> frame(key, 2_000_000 + i, 64, random).toBytes();
            });
        }
        return out;
    }

    /** A frame of random patches, 16x16 with stride 16, on a frameSize x frameSize grid. */
    private static PatchFrame frame(String stream, long index, int frameSize, Random random) {
        int side = (frameSize - 16) / 16 + 1;
        float[] patches = new float[side * side * 256];
        for (int k = 0; k < patches.length; k++) {
            patches[k] = (float) random.nextGaussian();
        }
        return new PatchFrame(stream, index, System.currentTimeMillis(), frameSize, 16, 16, patches);
    }

    /** Sends records {@code from} (inclusive) to {@code to} (exclusive) to smt.patches. */
    void send(String bootstrap, int from, int to) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producerProps(bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(Topics.PATCHES.name(), key, payloads.get(i)));
            }
            producer.flush();
        }
    }

    /** Each record once on the DLQ, byte for byte, with the reason of its kind. */
    void assertAllDeadLettered(List<DeadLetter> letters) {
        assertEquals(payloads.size(), letters.size(), "dead letters");
        Map<String, Kind> expected = new HashMap<>();
        for (int i = 0; i < payloads.size(); i++) {
            expected.put(Base64.getEncoder().encodeToString(payloads.get(i)), kinds.get(i));
        }
        assertEquals(payloads.size(), expected.size(), "the generated payloads are distinct");
        Map<Kind, Integer> perKind = new HashMap<>();
        for (DeadLetter letter : letters) {
            Kind kind = expected.remove(Base64.getEncoder().encodeToString(letter.value()));
            if (kind == null) {
                throw new AssertionError("A dead letter that was not injected, or twice: " + letter);
            }
            if (letter.message() == null || !letter.message().contains(kind.reason)) {
                throw new AssertionError("Dead letter of kind " + kind + " without the reason '" + kind.reason
                        + "': " + letter);
            }
            assertEquals(Topics.PATCHES.name(), letter.sourceTopic(), "source topic header of " + letter);
            perKind.merge(kind, 1, Integer::sum);
        }
        assertEquals(Map.of(Kind.GARBAGE, 334, Kind.UNKNOWN_VERSION, 333, Kind.WRONG_GEOMETRY, 333), perKind);
    }
}
