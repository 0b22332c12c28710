package org.smtstream.processor.offline.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smtstream.model.SmtConfig;

class TwoLayerSmtTest {

    @Test
    void shouldPoolTheFourBetasOfEachTwoByTwoBlockInReadingOrder() {
        int side = 4;
        int f = 2;
        float[] beta = new float[side * side * f];
        for (int b = 0; b < side * side; b++) {          // location b's betas are (10 b, 10 b + 1)
            beta[b * f] = 10 * b;
            beta[b * f + 1] = 10 * b + 1;
        }
        float[] pooled = TwoLayerSmt.pool(beta, side, f);
        // block (0, 1) is the second block: locations 2, 3, 6, 7
        assertArrayEquals(new float[] {20, 21, 30, 31, 60, 61, 70, 71}, Arrays.copyOfRange(pooled, 8, 16));
        // block (1, 0): locations 8, 9, 12, 13
        assertArrayEquals(new float[] {80, 81, 90, 91, 120, 121, 130, 131}, Arrays.copyOfRange(pooled, 16, 24));
        assertArrayEquals(beta, TwoLayerSmt.unpool(pooled, side, f));
    }

    @Test
    void shouldGiveLayerTwoTheFastPresetsPooledGeometry() {
        SmtConfig layer2 = TwoLayerSmt.layer2Config(SmtConfig.fast());
        assertEquals(4 * SmtConfig.fast().embeddingDim(), layer2.patchDim());
        assertEquals(SmtConfig.fast().patchesPerFrame() / 4, layer2.patchesPerFrame());
        assertThrows(IllegalArgumentException.class, () -> TwoLayerSmt.layer2Config(SmtConfig.seed()),
                "seed: f = 200, 4 f is not a square");
        assertThrows(IllegalArgumentException.class, () -> TwoLayerSmt.layer2Config(
                SmtConfig.fast().with(Map.of("stride", "8"))), "overlapping patches");
    }
}
