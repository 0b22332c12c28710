package org.smtstream.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.smtstream.model.PatchGeometry;
import org.smtstream.model.TurningAngles;
import org.smtstream.web.TrajectoryStore.Representation;

/**
 * The recent paths of one patch location, each representation projected onto its own window's
 * principal axes:
 * <pre>
 * {"stream":"cam0","patch":27,"window":64,
 *  "geometry":{"frameSize":128,"patchSize":16,"stride":16,"side":8},
 *  "paths":{"PIXELS":{"frames":[..],"points":[[x,y],..],"explained":[0.41,0.22],"curvatureDeg":97.3},
 *           "ALPHA":{..},"BETA":{..}}}
 * </pre>
 * A representation with no retained frames has empty arrays and a null curvature. Curvature is of
 * the full vectors (see {@link TurningAngles}); the projection is only for drawing.
 */
final class TrajectoryJson {

    static final int MAX_DIMS = 3;

    private TrajectoryJson() {
    }

    static JsonObject encode(TrajectoryStore store, String streamId, int location, int dims) {
        if (dims < 2 || dims > MAX_DIMS) {
            throw new IllegalArgumentException("Invalid projection dimension: " + dims + " (2 or 3)");
        }
        JsonObject paths = new JsonObject();
        for (Representation r : Representation.values()) {
            paths.put(r.name(), path(store.path(streamId, r, location), dims));
        }
        JsonObject json = new JsonObject()
                .put("stream", streamId)
                .put("patch", location)
                .put("window", store.window())
                .put("paths", paths);
        store.geometry(streamId).ifPresent(g -> json.put("geometry", geometry(g)));
        return json;
    }

    /** The patch grid as the page reads it: it takes the side from here rather than working it out. */
    static JsonObject geometry(PatchGeometry g) {
        return new JsonObject().put("frameSize", g.frameSize()).put("patchSize", g.patchSize())
                .put("stride", g.stride()).put("side", g.side());
    }

    private static JsonObject path(FrameWindow.Path path, int dims) {
        PcaProjection.Projection projection = PcaProjection.project(path.points(), dims);
        JsonArray frames = new JsonArray();
        for (long f : path.frames()) {
            frames.add(f);
        }
        JsonArray points = new JsonArray();
        for (double[] row : projection.coordinates()) {
            JsonArray point = new JsonArray();
            for (double v : row) {
                // Float precision is plenty for a plot and halves the text.
                point.add((float) v);
            }
            points.add(point);
        }
        JsonArray explained = new JsonArray();
        for (double e : projection.explained()) {
            explained.add((float) e);
        }
        double curvature = TurningAngles.ofPath(path.points(), 1).meanDegrees();
        Double rounded = Double.isFinite(curvature) ? Math.round(curvature * 10) / 10.0 : null;
        return new JsonObject()
                .put("frames", frames)
                .put("points", points)
                .put("explained", explained)
                .put("curvatureDeg", rounded);
    }
}
