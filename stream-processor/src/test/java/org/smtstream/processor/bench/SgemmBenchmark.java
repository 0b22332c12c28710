package org.smtstream.processor.bench;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.smtstream.processor.math.linalg.Nd4jRuntime;

/** The machine's SGEMM rate through ND4J/OpenBLAS, measured in the same run as the other benchmarks. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SgemmBenchmark {

    static final int SIZE = 1024;

    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup
    public void setUp() {
        Nd4jRuntime.useFloatByDefault();
        a = Nd4j.rand(DataType.FLOAT, SIZE, SIZE).dup('f');
        b = Nd4j.rand(DataType.FLOAT, SIZE, SIZE).dup('f');
        c = Nd4j.createUninitialized(DataType.FLOAT, new long[] {SIZE, SIZE}, 'f');
    }

    @Benchmark
    public INDArray sgemm() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    static double flopsPerOp() {
        return 2.0 * SIZE * SIZE * SIZE;
    }
}
