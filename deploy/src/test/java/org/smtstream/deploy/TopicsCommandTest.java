package org.smtstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Argument checks of {@code smt topics create}; creation itself is exercised by ClusterFaultsIT. */
class TopicsCommandTest {

    private final CapturedCommand smt = new CapturedCommand();

    private int run(String... args) {
        return smt.run(args);
    }

    @Test
    void shouldRejectAZeroReplicationFactorBeforeContactingKafka() {
        assertEquals(1, run("topics", "create", "-b", "127.0.0.1:1", "--replication-factor", "0"));
        assertEquals(
                "smt topics create: Invalid --replication-factor: 0 (must be >= 1, or -1 for the broker's default)",
                smt.err().trim());
    }

    @Test
    void shouldRejectZeroPartitions() {
        assertEquals(1, run("topics", "create", "-b", "127.0.0.1:1", "--partitions", "0"));
        assertEquals("smt topics create: Invalid --partitions: 0 (must be >= 1)", smt.err().trim());
    }

    @Test
    void shouldListTopicsAndConfigInTheRootHelp() {
        assertEquals(0, run("--help"));
        assertTrue(smt.out().contains("topics") && smt.out().contains("config"), smt.out());
    }
}
