package org.smtstream.processor.math.linalg;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Nd4jRuntimeTest {

    @Test
    void warnsWhenTheOpenMpWaitPolicyIsNotSet() {
        for (String unset : new String[] {null, "", "  "}) {
            String warning = Nd4jRuntime.ompWaitPolicyWarning(unset);
            assertTrue(warning != null && warning.contains("OMP_WAIT_POLICY=PASSIVE"),
                    "for '" + unset + "': " + warning);
        }
        assertNull(Nd4jRuntime.ompWaitPolicyWarning("PASSIVE"));
        assertNull(Nd4jRuntime.ompWaitPolicyWarning("ACTIVE"), "a policy chosen on purpose is respected");
    }
}
