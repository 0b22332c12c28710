package org.smtstream.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The newest model version from {@code smt.model}, the learning curve across versions, and the
 * affinity groups of its most used atoms. Their pictures are drawn on first request after a new
 * version and kept until the next, so a page polling them costs one rendering per version; the pages
 * of the atom grid are drawn per request ({@link ModelHandlers}).
 * Thread-safe: the feed thread adds versions, worker threads read pictures.
 */
final class ModelState {

    /** Groups shown and neighbours per group. */
    static final int GROUPS = 4;
    static final int NEIGHBOURS = 8;
    /** Versions kept for the learning-curve charts. */
    static final int HISTORY = 2000;

    /** One version's point on the learning curves; NaN where not measured. */
    record VersionPoint(long version, long framesSeen, long createdAtMs, double snrDb, double codingObjective,
                        double embeddingObjective, double constraintError, long rejectedUpdates) {
    }

    private final Deque<VersionPoint> history = new ArrayDeque<>();
    private ModelSnapshot latest;
    private long versionsSeen;
    private List<AffinityGroups.Group> groups;
    private List<byte[]> groupPngs;

    ModelState(MeterRegistry meters) {
        Gauge.builder("smt.model.version", this, s -> s.read(m -> m.version()))
                .description("Newest model version read from smt.model (NaN before the first)").register(meters);
        Gauge.builder("smt.rejected.updates", this, s -> s.read(m -> m.rejectedUpdates()))
                .description("Learner updates rejected up to the newest model version (NaN/Inf, diverging objective)")
                .register(meters);
        FunctionCounter.builder("smt.web.model.versions", this, ModelState::versionsSeen)
                .description("Complete model versions read from smt.model").register(meters);
        Gauge.builder("smt.learning.frames.arrived", this, s -> s.stat(ModelSnapshot.FRAMES_ARRIVED))
                .description("Coded frames that reached the learner, up to the newest model version").register(meters);
        Gauge.builder("smt.learning.frames.learned", this, s -> s.stat(ModelSnapshot.FRAMES_LEARNED))
                .description("Of those, frames the learner learned (it samples when it falls behind)").register(meters);
        Gauge.builder("smt.learning.learned.share", this, s -> s.stat(ModelSnapshot.LEARNED_SHARE))
                .description("Frames learned / frames arrived at the learner").register(meters);
    }

    /** Takes a complete version; one not newer than the newest is ignored. */
    synchronized void onModel(ModelSnapshot model) {
        if (latest != null && model.version() <= latest.version()) {
            return;
        }
        latest = model;
        versionsSeen++;
        groups = null;
        groupPngs = null;
        history.addLast(new VersionPoint(model.version(), model.framesSeen(), model.createdAtMs(),
                model.stat(ModelSnapshot.SNR_DB), model.stat(ModelSnapshot.CODING_OBJECTIVE),
                model.stat(ModelSnapshot.EMBEDDING_OBJECTIVE), model.stat(ModelSnapshot.CONSTRAINT_ERROR),
                model.rejectedUpdates()));
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    synchronized Optional<ModelSnapshot> latest() {
        return Optional.ofNullable(latest);
    }

    /** Retained versions newer than {@code version}, oldest first. */
    synchronized List<VersionPoint> pointsAfter(long version) {
        List<VersionPoint> points = new ArrayList<>();
        for (VersionPoint p : history) {
            if (p.version() > version) {
                points.add(p);
            }
        }
        return points;
    }

    /** The affinity groups of the newest version; empty until a version has an embedding P. */
    synchronized List<AffinityGroups.Group> affinityGroups() {
        if (latest == null || latest.p() == null) {
            return List.of();
        }
        if (groups == null) {
            groups = AffinityGroups.ofMostUsed(latest.p(), latest.meanActivity(), GROUPS, NEIGHBOURS);
            groupPngs = new ArrayList<>(groups.size());
            for (AffinityGroups.Group g : groups) {
                int[] tiles = g.tiles();
                groupPngs.add(AtomTiles.png(latest.phi(), latest.patchSize(), tiles, tiles.length));
            }
        }
        return groups;
    }

    /** Group {@code index}'s row of tiles: the atom, then its neighbours. */
    synchronized Optional<Picture> affinityRow(int index) {
        List<AffinityGroups.Group> current = affinityGroups();
        if (index < 0 || index >= current.size()) {
            return Optional.empty();
        }
        return Optional.of(new Picture(latest.version(), groupPngs.get(index)));
    }

    /** A PNG and the model version it was drawn from. */
    record Picture(long version, byte[] png) {
    }

    /** A stat of the newest version, NaN before the first or when it does not have it. */
    synchronized double stat(String name) {
        return latest == null ? Double.NaN : latest.stat(name);
    }

    private synchronized double versionsSeen() {
        return versionsSeen;
    }

    private synchronized double read(ToDoubleFunction<ModelSnapshot> value) {
        return latest == null ? Double.NaN : value.applyAsDouble(latest);
    }
}
