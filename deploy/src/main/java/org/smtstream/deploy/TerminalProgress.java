package org.smtstream.deploy;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.smtstream.processor.offline.Progress;

/** Progress of an offline run as a progress bar on the terminal, one per task, in frames. */
final class TerminalProgress implements Progress {

    @Override
    public Task start(String name, long total) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setUnit(" frames", 1)
                .showSpeed().setUpdateIntervalMillis(500).build();
        return new Task() {
            @Override
            public void accept(long done) {
                bar.stepTo(done);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
