package org.smtstream.processor.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's life cycle without a broker (a broker round trip belongs to deploy's integration tests). */
class SmtProcessorTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldReportNotRunningThroughTerminationAfterClose() throws Exception {
        SmtProcessor processor = new SmtProcessor(SmtTopologyTest.SMALL, ProcessorOptions.defaults(),
                SmtTopology.streamsConfig("smt-runner-test", "localhost:9", stateDir, 1));
        assertEquals(KafkaStreams.State.CREATED, processor.state());
        assertTrue(processor.close(Duration.ofSeconds(10)), "a client that never started closes cleanly");
        assertEquals(KafkaStreams.State.NOT_RUNNING, processor.termination().get(5, TimeUnit.SECONDS));
    }
}
