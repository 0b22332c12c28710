package org.smtstream.processor.math.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Workspaces for the small temporaries of one iteration (reduction scalars, double casts for the
 * objective). Closing the scope rewinds the workspace, so each iteration reuses the same memory
 * instead of leaving garbage for the GC to free off-heap (ARCHITECTURE.md, trap T1). The large per-iteration
 * arrays are not temporaries: they are preallocated buffers created outside any workspace.
 *
 * <p>Workspaces are per thread (ARCHITECTURE.md, trap T2); one id per caller class keeps nested scopes apart.
 */
public final class Scratch {

    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(4L << 20)
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.NONE)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .build();

    private Scratch() {
    }

    /**
     * A zero-filled FLOAT buffer (rows x cols, column-major) that belongs to no workspace, so it
     * survives every scope even when created while a caller's workspace is active.
     */
    public static INDArray buffer(long rows, long cols) {
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'f').assign(0);
        }
    }

    /** Opens (or re-enters) this thread's workspace {@code id}; close it to rewind. */
    public static MemoryWorkspace open(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
    }
}
