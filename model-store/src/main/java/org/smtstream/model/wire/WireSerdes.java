package org.smtstream.model.wire;

import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serdes of the wire records: thin adapters over each record's {@code toBytes/fromBytes}. */
public final class WireSerdes {

    private WireSerdes() {
    }

    public static Serde<PatchFrame> patchFrame() {
        return serde(PatchFrame::toBytes, PatchFrame::fromBytes);
    }

    public static Serde<SparseCodes> sparseCodes() {
        return serde(SparseCodes::toBytes, SparseCodes::fromBytes);
    }

    public static Serde<Embeddings> embeddings() {
        return serde(Embeddings::toBytes, Embeddings::fromBytes);
    }

    public static Serde<FrameMetrics> frameMetrics() {
        return serde(FrameMetrics::toBytes, FrameMetrics::fromBytes);
    }

    public static Serde<FrameImage> frameImage() {
        return serde(FrameImage::toBytes, FrameImage::fromBytes);
    }

    public static Serde<ModelChunk> modelChunk() {
        return serde(ModelChunk::toBytes, ModelChunk::fromBytes);
    }

    public static Serde<LearningSample> learningSample() {
        return serde(LearningSample::toBytes, LearningSample::fromBytes);
    }

    /** Null maps to null both ways, as Kafka expects for tombstones. */
    static <T> Serde<T> serde(Function<T, byte[]> writer, Function<byte[], T> reader) {
        Serializer<T> ser = (topic, value) -> value == null ? null : writer.apply(value);
        Deserializer<T> de = (topic, data) -> data == null ? null : reader.apply(data);
        return Serdes.serdeFrom(ser, de);
    }
}
