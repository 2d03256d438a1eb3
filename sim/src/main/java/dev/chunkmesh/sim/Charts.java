package dev.chunkmesh.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Plain PNG charts drawn with Java2D (headless): line charts with a legend, and bar charts. */
final class Charts {
    static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x76b7b2),
            new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1)};
    private static final int W = 900;
    private static final int H = 520;
    private static final int L = 80;
    private static final int R = 200;
    private static final int T = 50;
    private static final int B = 60;

    /** One line: its name and points. */
    record Series(String name, double[] x, double[] y) {}

    private Charts() {
    }

    static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logX) throws IOException {
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double x = logX ? Math.log10(Math.max(s.x()[i], 1e-3)) : s.x()[i];
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
                yMax = Math.max(yMax, s.y()[i]);
            }
        }
        if (xMin == Double.MAX_VALUE) {
            xMin = 0;
            xMax = 1;
        }
        if (!logX) {
            xMin = Math.min(0, xMin);
        }
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        yMax = yMax <= 0 ? 1 : yMax * 1.05;
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(img, title);
        axes(g, xMin, xMax, 0, yMax, xLabel, yLabel, logX);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(PALETTE[k % PALETTE.length]);
            g.setStroke(new BasicStroke(2.2f));
            for (int i = 1; i < s.x().length; i++) {
                double x0 = logX ? Math.log10(Math.max(s.x()[i - 1], 1e-3)) : s.x()[i - 1];
                double x1 = logX ? Math.log10(Math.max(s.x()[i], 1e-3)) : s.x()[i];
                g.drawLine(px(x0, xMin, xMax), py(s.y()[i - 1], yMax), px(x1, xMin, xMax), py(s.y()[i], yMax));
            }
            g.fillRect(W - R + 20, T + 10 + k * 22, 14, 14);
            g.setColor(Color.DARK_GRAY);
            g.drawString(s.name(), W - R + 40, T + 22 + k * 22);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    /** Bars with their names and values; past 12 bars, only every k-th is labelled so that labels do not overlap. */
    static void bars(Path png, String title, String yLabel, List<String> names, double[] values) throws IOException {
        double yMax = 0;
        for (double v : values) {
            yMax = Math.max(yMax, v);
        }
        yMax = yMax <= 0 ? 1 : yMax * 1.1;
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(img, title);
        axes(g, 0, 1, 0, yMax, "", yLabel, false);
        int n = names.size();
        int plotW = W - L - R;
        int slot = plotW / Math.max(1, n);
        int labelEvery = Math.max(1, (n + 11) / 12);
        for (int k = 0; k < n; k++) {
            int x = L + k * slot + slot / 5;
            int y = py(values[k], yMax);
            g.setColor(PALETTE[k % PALETTE.length]);
            g.fillRect(x, y, Math.max(1, slot * 3 / 5), H - B - y);
            g.setColor(Color.DARK_GRAY);
            if (k % labelEvery == 0) {
                g.drawString(names.get(k), x, H - B + 18);
                g.drawString(num(values[k]), x, y - 4);
            }
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static Graphics2D frame(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, L, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static void axes(Graphics2D g, double xMin, double xMax, double yMin, double yMax, String xLabel, String yLabel, boolean logX) {
        g.setColor(new Color(0xdddddd));
        for (int i = 0; i <= 5; i++) {
            int y = py(yMin + (yMax - yMin) * i / 5, yMax);
            g.drawLine(L, y, W - R, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(num(yMin + (yMax - yMin) * i / 5), 8, y + 4);
            g.setColor(new Color(0xdddddd));
        }
        if (!xLabel.isEmpty()) {
            for (int i = 0; i <= 5; i++) {
                double v = xMin + (xMax - xMin) * i / 5;
                int x = px(v, xMin, xMax);
                g.drawLine(x, T, x, H - B);
                g.setColor(Color.DARK_GRAY);
                g.drawString(num(logX ? Math.pow(10, v) : v), x - 10, H - B + 18);
                g.setColor(new Color(0xdddddd));
            }
        }
        g.setColor(Color.BLACK);
        g.drawLine(L, H - B, W - R, H - B);
        g.drawLine(L, T, L, H - B);
        g.drawString(xLabel + (logX ? " (log scale)" : ""), (W - R) / 2, H - 20);
        g.drawString(yLabel, L, T - 6);
    }

    private static int px(double x, double xMin, double xMax) {
        return L + (int) ((x - xMin) / (xMax - xMin) * (W - L - R));
    }

    private static int py(double y, double yMax) {
        return H - B - (int) (y / yMax * (H - T - B));
    }

    static String num(double v) {
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 1 ? "%.1f" : "%.2f", v);
    }
}
