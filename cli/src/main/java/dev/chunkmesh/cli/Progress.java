package dev.chunkmesh.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr, so stdout keeps only a command's results. */
final class Progress {
    private Progress() {
    }

    /** A bar counting bytes, shown in MiB. */
    static ProgressBar bytes(String task, long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MiB", 1 << 20).showSpeed().setUpdateIntervalMillis(200).continuousUpdate().build();
    }

    /** A bar counting items. */
    static ProgressBar count(String task, long total) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200).continuousUpdate().build();
    }
}
