package org.smtstream.ingest;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A terminal progress bar over a known number of frames, with speed and ETA. */
final class ConsoleProgressReporter implements ProgressReporter {

    private final ProgressBar bar;

    ConsoleProgressReporter(String task, long totalFrames) {
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalFrames)
                .setUnit(" frames", 1)
                .showSpeed()
                .setUpdateIntervalMillis(500)
                .build();
    }

    @Override
    public void update(long framesPublished, long framesSkipped, long framesDropped, long outages) {
        bar.stepTo(framesPublished);
        if (framesSkipped > 0 || framesDropped > 0 || outages > 0) {
            bar.setExtraMessage(framesSkipped + " skipped, " + framesDropped + " dropped"
                    + (outages > 0 ? ", " + outages + " outages" : ""));
        }
    }

    @Override
    public void close() {
        bar.close();
    }
}
