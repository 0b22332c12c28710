package org.smtstream.model.store;

import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smtstream.model.SmtModel;
import org.smtstream.model.wire.ModelChunk;

/**
 * Puts model versions back together from {@code smt.model} chunks. A compacted topic replays
 * old and partial versions, consumers see duplicates after a rebalance, and a writer may publish a
 * new version before an old one is complete, so chunks may arrive in any order, repeated, and
 * interleaved between versions. Only a complete version whose SHA-256 and arrays verify is returned;
 * versions not newer than the newest assembled one are ignored.
 *
 * <p>Memory is bounded: at most {@link #MAX_PENDING_VERSIONS} partial versions are kept, and a new
 * one evicts the oldest. Corrupt and evicted versions are counted and logged, never thrown at the
 * caller. Not thread-safe; one assembler per consumer.
 */
public final class ModelAssembler {

    public static final int MAX_PENDING_VERSIONS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ModelAssembler.class);

    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    private SmtModel latest;
    private long corruptVersions;
    private long evictedVersions;

    /** Takes one chunk; returns the model it completes, if it completes a newer valid version. */
    public Optional<SmtModel> accept(ModelChunk chunk) {
        if (chunk == null || (latest != null && chunk.version() <= latest.version())) {
            return Optional.empty();
        }
        Pending versionChunks = pending.computeIfAbsent(chunk.version(), v -> new Pending(chunk));
        evictOldest();
        if (!pending.containsKey(chunk.version())) {
            return Optional.empty();
        }
        String problem = versionChunks.add(chunk);
        if (problem != null) {
            return reject(chunk.version(), problem);
        }
        if (!versionChunks.complete()) {
            return Optional.empty();
        }
        pending.remove(chunk.version());
        byte[] encoded = versionChunks.concatenate();
        if (encoded == null) {
            return reject(chunk.version(), "chunks hold " + versionChunks.receivedBytes + " bytes, the model has "
                    + versionChunks.totalBytes);
        }
        String actual = Float32.sha256(encoded);
        if (!actual.equals(chunk.sha256())) {
            return reject(chunk.version(),
                    "sha256 of the assembled model is " + actual + ", chunks say " + chunk.sha256());
        }
        SmtModel model;
        try {
            model = ModelCodec.decode(encoded);
        } catch (ModelFormatException e) {
            return reject(chunk.version(), e.getMessage());
        }
        if (model.version() != chunk.version()) {
            return reject(chunk.version(), "the chunks carry version " + chunk.version() + " but the model inside is "
                    + model.version());
        }
        latest = model;
        pending.headMap(model.version(), true).clear();
        return Optional.of(model);
    }

    /** The newest model assembled so far. */
    public Optional<SmtModel> latest() {
        return Optional.ofNullable(latest);
    }

    /** Versions whose chunks were inconsistent or whose assembled bytes did not verify. */
    public long corruptVersions() {
        return corruptVersions;
    }

    /** Partial versions dropped to make room for newer ones. */
    public long evictedVersions() {
        return evictedVersions;
    }

    /** Partial versions waiting for more chunks. */
    public int pendingVersions() {
        return pending.size();
    }

    private void evictOldest() {
        while (pending.size() > MAX_PENDING_VERSIONS) {
            var oldest = pending.pollFirstEntry();
            evictedVersions++;
            LOG.warn("Dropped partial model version {} ({} of {} chunks) to make room for newer versions",
                    oldest.getKey(), oldest.getValue().chunks.size(), oldest.getValue().count);
        }
    }

    private Optional<SmtModel> reject(long version, String problem) {
        pending.remove(version);
        corruptVersions++;
        LOG.warn("Ignored corrupt model version {}: {}", version, problem);
        return Optional.empty();
    }

    /** The chunks of one version received so far, checked against the first one's description. */
    private static final class Pending {
        final int count;
        final int totalBytes;
        final String sha256;
        final TreeMap<Integer, byte[]> chunks = new TreeMap<>();
        long receivedBytes;

        Pending(ModelChunk first) {
            count = first.count();
            totalBytes = first.totalBytes();
            sha256 = first.sha256();
        }

        /** Stores the chunk; returns why the version is corrupt, or null. */
        String add(ModelChunk chunk) {
            if (chunk.count() != count || chunk.totalBytes() != totalBytes || !chunk.sha256().equals(sha256)) {
                return "chunk " + chunk.index() + " describes " + chunk.count() + " chunks, " + chunk.totalBytes()
                        + " bytes, sha256 " + chunk.sha256() + "; earlier chunks " + count + ", " + totalBytes
                        + ", " + sha256;
            }
            if (chunks.putIfAbsent(chunk.index(), chunk.payload()) == null) {
                receivedBytes += chunk.payload().length;
            }
            return receivedBytes > totalBytes
                    ? "chunks hold more than the " + totalBytes + " bytes of the model" : null;
        }

        boolean complete() {
            return chunks.size() == count;
        }

        /** The payloads in index order, or null when they do not add up to the model's length. */
        byte[] concatenate() {
            if (receivedBytes != totalBytes) {
                return null;
            }
            byte[] all = new byte[totalBytes];
            int at = 0;
            for (byte[] c : chunks.values()) {
                System.arraycopy(c, 0, all, at, c.length);
                at += c.length;
            }
            return all;
        }
    }
}
