package org.smtstream.processor.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.smtstream.model.ModelInfo;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.SmtModel;
import org.smtstream.processor.testing.TestConfigs;

/** Each rule of the guard rail, the count of rejections and the version it goes back to. */
class PublicationGuardTest {

    private static final SmtConfig CONFIG = TestConfigs.SMALL;
    private static final double FACTOR = PublicationGuard.DEFAULT_DIVERGENCE_FACTOR;

    /** A learner that has learned from one frame of Gaussian patches of standard deviation {@code scale}. */
    private static OnlineSmtLearner learnerAfterOneFrame(SmtModel start, double scale) {
        OnlineSmtLearner learner = new OnlineSmtLearner(CONFIG, start, 50);
        SplittableRandom random = new SplittableRandom(3);
        float[] patches = new float[CONFIG.patchesPerFrame() * CONFIG.patchDim()];
        for (int k = 0; k < patches.length; k++) {
            patches[k] = (float) (scale * random.nextGaussian());
        }
        learner.learn("cam", 0, patches, new float[CONFIG.patchesPerFrame() * CONFIG.dictionarySize()]);
        return learner;
    }

    private static SmtModel version(OnlineSmtLearner learner, long version) {
        return learner.snapshot(version, ModelInfo.fresh(1));
    }

    @Test
    void shouldRejectNonFiniteArrays() {
        PublicationGuard guard = new PublicationGuard(FACTOR, null, 0);
        assertEquals(Optional.of("the model has NaN or infinite values"), guard.reason(false, 1.0));
    }

    @Test
    void shouldRejectANonFiniteObjective() {
        PublicationGuard guard = new PublicationGuard(FACTOR, null, 0);
        assertEquals(Optional.of("the coding objective is NaN"), guard.reason(true, Double.NaN));
        assertEquals(Optional.of("the coding objective is Infinity"), guard.reason(true, Double.POSITIVE_INFINITY));
    }

    @Test
    void shouldRejectAnObjectiveThatRoseMoreThanTheFactorOverTheLastAcceptedVersion() {
        PublicationGuard guard = new PublicationGuard(FACTOR, null, 0);
        assertEquals(Optional.empty(), guard.reason(true, 1e6), "the first version has nothing to diverge from");
        OnlineSmtLearner learner = learnerAfterOneFrame(null, 1.0);
        double objective = learner.windowObjective();
        guard.accepted(version(learner, 1));
        assertEquals(Optional.empty(), guard.reason(true, FACTOR * objective), "a rise of exactly the factor passes");
        Optional<String> reason = guard.reason(true, FACTOR * objective * 1.001);
        assertTrue(reason.isPresent() && reason.get().startsWith("the coding objective per patch rose from "),
                reason.toString());
    }

    @Test
    void shouldCountARejectionAndKeepTheLastGoodVersion() {
        OnlineSmtLearner learner = learnerAfterOneFrame(null, 1.0);
        SmtModel good = version(learner, 4);
        PublicationGuard guard = new PublicationGuard(FACTOR, null, 2);
        assertEquals(Optional.empty(), guard.reject(learner));
        guard.accepted(good);
        assertEquals(2, guard.rejected(), "an accepted version is not counted");

        OnlineSmtLearner diverging = learnerAfterOneFrame(good, 10.0);   // 100 times the squared error
        Optional<String> reason = guard.reject(diverging);
        assertTrue(reason.isPresent() && reason.get().contains("rose"), reason.toString());
        assertEquals(3, guard.rejected(), "counted on top of the earlier rejections");
        assertSame(good, guard.lastGood(), "the last good version stays");

        assertEquals(Optional.of("the coding objective is NaN"), guard.reject(new OnlineSmtLearner(CONFIG, good, 50)),
                "a learner with no frame in its window has no objective");
        assertEquals(4, guard.rejected());
    }

    @Test
    void shouldJudgeTheVersionAfterAnAdoptedOneWithoutADivergenceBaseline() {
        OnlineSmtLearner learner = learnerAfterOneFrame(null, 0.1);
        PublicationGuard guard = new PublicationGuard(FACTOR, null, 0);
        guard.accepted(version(learner, 1));
        SmtModel foreign = version(learnerAfterOneFrame(null, 1.0), 9);
        guard.adopted(foreign);
        assertSame(foreign, guard.lastGood());
        assertEquals(Optional.empty(), guard.reject(learnerAfterOneFrame(foreign, 10.0)),
                "nothing to diverge from after another writer's version");
        assertEquals(0, guard.rejected());
    }

    @Test
    void shouldStartFromTheGivenVersionAndRejectABadFactor() {
        assertNull(new PublicationGuard(FACTOR, null, 0).lastGood());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PublicationGuard(1.0, null, 0));
        assertEquals("Invalid divergence factor: 1.0 (must be > 1)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PublicationGuard(FACTOR, null, -1));
    }

    @Test
    void shouldReadTheAcceptedVersionsObjectiveFromItsInfo() {
        OnlineSmtLearner learner = learnerAfterOneFrame(null, 1.0);
        SmtModel v1 = version(learner, 1);
        assertEquals(learner.windowObjective(), v1.info().stat(ModelInfo.CODING_OBJECTIVE),
                "the snapshot carries the window objective the guard compares against");
        PublicationGuard guard = new PublicationGuard(FACTOR, null, 0);
        guard.accepted(v1);
        assertTrue(guard.reason(true, 11 * learner.windowObjective()).isPresent());
    }
}
