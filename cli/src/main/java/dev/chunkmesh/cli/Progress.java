package dev.chunkmesh.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr, so stdout keeps only a command's results. On a terminal the bar redraws
 * itself in place; when stderr goes to a file or a pipe (a log, CI), it writes a plain line every
 * {@value #PLAIN_EVERY_MS} ms and a last one at the end, never a carriage return.
 */
public final class Progress {
    static final long PLAIN_EVERY_MS = 10_000;

    private Progress() {
    }

    /** A bar counting bytes, shown in MiB. */
    public static ProgressBar bytes(String task, long total) {
        return builder(task, total).setUnit(" MiB", 1 << 20).showSpeed().build();
    }

    /** A bar counting items. */
    public static ProgressBar count(String task, long total) {
        return builder(task, total).build();
    }

    private static ProgressBarBuilder builder(String task, long total) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200).continuousUpdate();
        if (System.console() == null) {
            b.setConsumer(new PlainLines(System.err, PLAIN_EVERY_MS));
        }
        return b;
    }

    /** Whole lines, at most one per {@code everyMs} plus the final state: for logs, where a carriage return is noise. */
    static final class PlainLines implements ProgressBarConsumer {
        private final PrintStream out;
        private final long everyMs;
        private long lastPrinted;
        private String last = "";
        private String lastWritten = "";

        PlainLines(PrintStream out, long everyMs) {
            this.out = out;
            this.everyMs = everyMs;
        }

        @Override
        public int getMaxRenderedLength() {
            return 100;
        }

        @Override
        public synchronized void accept(String rendered) {
            last = rendered.strip();
            long now = System.currentTimeMillis();
            if (lastPrinted == 0 || now - lastPrinted >= everyMs) {
                write();
                lastPrinted = now;
            }
        }

        @Override
        public synchronized void close() {
            write();
            out.flush();
        }

        private void write() {
            if (!last.isEmpty() && !last.equals(lastWritten)) {
                out.println(last);
                lastWritten = last;
            }
        }
    }
}
