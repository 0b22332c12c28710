package org.smtstream.processor.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.smtstream.model.SmtConfig;
import org.smtstream.processor.math.Nd4jRuntime;
import org.smtstream.processor.math.OnlineSparseCoding;

/**
 * The processor's math for one frame as it runs in the stream: sparse coding to the preset's
 * iteration cap (tolerance 0: frames of real video reach the cap), metrics and one dictionary step.
 * Its inverse is the frames per second the math allows on this machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FrameStepBenchmark {

    @Param({"fast", "seed"})
    public String preset;

    private OnlineSparseCoding model;
    private float[][] frames;
    private int next;

    @Setup
    public void setUp() {
        Nd4jRuntime.useFloatByDefault();
        SmtConfig config = SmtConfig.preset(preset).with(Map.of("tolerance", "0"));
        model = new OnlineSparseCoding(config, 200, true);
        frames = new float[4][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = SparseCodingBenchmark.whitenedLikePatches(config.patchDim() * config.patchesPerFrame(), 10 + i);
        }
    }

    @Benchmark
    public Object frame() {
        return model.process(frames[next++ % frames.length], null);
    }
}
