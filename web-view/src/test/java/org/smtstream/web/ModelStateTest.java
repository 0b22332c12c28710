package org.smtstream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelStateTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ModelState model = new ModelState(registry);

    @Test
    void shouldHaveNothingBeforeTheFirstVersion() {
        assertTrue(model.latest().isEmpty());
        assertTrue(model.affinityGroups().isEmpty());
        assertTrue(Double.isNaN(registry.get("smt.model.version").gauge().value()));
    }

    @Test
    void shouldKeepTheNewestVersionAndIgnoreOlderOnes() {
        model.onModel(Samples.model(5));
        model.onModel(Samples.model(3));
        model.onModel(Samples.model(5));

        assertEquals(5, model.latest().orElseThrow().version());
        assertEquals(List.of(5L), model.pointsAfter(-1).stream().map(ModelState.VersionPoint::version).toList());
        assertEquals(5.0, registry.get("smt.model.version").gauge().value());
        assertEquals(2.0, registry.get("smt.rejected.updates").gauge().value());
    }

    @Test
    void shouldGaugeTheFramesTheNewestVersionSaysTheLearnerLearned() {
        assertTrue(Double.isNaN(registry.get("smt.learning.frames.learned").gauge().value()), "no version yet");
        model.onModel(Samples.model(4));
        assertEquals(500.0, registry.get("smt.learning.frames.arrived").gauge().value());
        assertEquals(400.0, registry.get("smt.learning.frames.learned").gauge().value());
        assertEquals(0.8, registry.get("smt.learning.learned.share").gauge().value());
        assertEquals(400.0, model.stat(ModelSnapshot.FRAMES_LEARNED + ModelSnapshot.PER_STREAM + Samples.STREAM));
        assertTrue(Double.isNaN(model.stat(ModelSnapshot.FRAMES_LEARNED + ModelSnapshot.PER_STREAM + "other")));
    }

    @Test
    void shouldChartEachVersionOnce() {
        model.onModel(Samples.model(1));
        model.onModel(Samples.model(2));
        model.onModel(Samples.model(4));

        List<ModelState.VersionPoint> after = model.pointsAfter(1);

        assertEquals(List.of(2L, 4L), after.stream().map(ModelState.VersionPoint::version).toList());
        assertEquals(14.0, after.get(1).snrDb());
        assertEquals(0.25, after.get(1).embeddingObjective());
        assertTrue(Double.isNaN(after.get(1).codingObjective()), "not measured");
    }

    @Test
    void shouldGroupTheMostUsedAtomsAndDrawEachGroupAsARow() throws IOException {
        model.onModel(Samples.model(1));

        List<AffinityGroups.Group> groups = model.affinityGroups();

        assertEquals(3, groups.get(0).atom(), "atom 3 is the most used");
        BufferedImage row = FramePngTest.decode(model.affinityRow(0).orElseThrow().png());
        assertEquals(AtomTiles.extent(groups.get(0).tiles().length, Samples.PATCH_SIZE), row.getWidth());
        assertEquals(AtomTiles.extent(1, Samples.PATCH_SIZE), row.getHeight());
        assertTrue(model.affinityRow(groups.size()).isEmpty());
    }
}
