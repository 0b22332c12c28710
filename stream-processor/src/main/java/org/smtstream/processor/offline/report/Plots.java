package org.smtstream.processor.offline.report;

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

/**
 * The report's figures, drawn with java.awt into images and written as PNG by javax.imageio: heat
 * maps, rows of patches, line histograms, grouped bars and scatter discs. Plain plots on purpose: the
 * report needs to show the numbers' shape, and the JDK draws these headless without a dependency.
 */
final class Plots {

    static final Color[] SERIES = {new Color(0x55, 0x55, 0x55), new Color(0x1f, 0x77, 0xb4),
        new Color(0xd6, 0x27, 0x28), new Color(0x2c, 0xa0, 0x2c)};
    private static final int TITLE = 22;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Plots() {
    }

    /** Writes {@code image} as a PNG, headless. */
    static void write(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("No PNG writer for " + file);
        }
    }

    /**
     * A heat map of rows x columns cells, each row scaled to its own largest |value| (as the thesis's
     * "rescaled activations"): white to blue for non-negative data, blue-white-red otherwise.
     */
    static BufferedImage heatMap(String title, float[][] rows, int cellWidth, int cellHeight) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        boolean signed = false;
        for (float[] row : rows) {
            for (float v : row) {
                signed |= v < 0;
            }
        }
        BufferedImage image = canvas(Math.max(200, columns * cellWidth), TITLE + rows.length * cellHeight, title);
        Graphics2D g = image.createGraphics();
        for (int r = 0; r < rows.length; r++) {
            float max = 0;
            for (float v : rows[r]) {
                max = Math.max(max, Math.abs(v));
            }
            for (int c = 0; c < columns; c++) {
                float v = max == 0 ? 0 : rows[r][c] / max;
                g.setColor(signed ? diverging(v) : sequential(v));
                g.fillRect(c * cellWidth, TITLE + r * cellHeight, cellWidth, cellHeight);
            }
        }
        g.dispose();
        return image;
    }

    /** Patches (n = p x p values, row-major) in rows of the figure, each magnified {@code scale} times, gray. */
    static BufferedImage patchRows(String title, List<String> labels, List<float[][]> rows, int p, int scale) {
        int gap = 4;
        int labelWidth = 110;
        int count = rows.get(0).length;
        int cell = p * scale;
        BufferedImage image = canvas(labelWidth + count * (cell + gap), TITLE + rows.size() * (cell + gap), title);
        Graphics2D g = image.createGraphics();
        g.setFont(FONT);
        for (int r = 0; r < rows.size(); r++) {
            int top = TITLE + r * (cell + gap);
            g.setColor(Color.BLACK);
            g.drawString(labels.get(r), 4, top + cell / 2);
            for (int i = 0; i < count; i++) {
                float[] patch = rows.get(r)[i];
                float max = 1e-12f;
                for (float v : patch) {
                    max = Math.max(max, Math.abs(v));
                }
                for (int y = 0; y < p; y++) {
                    for (int x = 0; x < p; x++) {
                        int level = Math.round(127.5f + 127.5f * patch[y * p + x] / max);
                        g.setColor(new Color(level, level, level));
                        g.fillRect(labelWidth + i * (cell + gap) + x * scale, top + y * scale, scale, scale);
                    }
                }
            }
        }
        g.dispose();
        return image;
    }

    /** Histograms as fractions per bin over [0, 180] degrees, one line per series, with a legend. */
    static BufferedImage histograms(String title, List<String> names, List<long[]> counts) {
        int width = 360;
        int height = 260;
        int left = 40;
        int bottom = 30;
        BufferedImage image = canvas(width, TITLE + height, title);
        Graphics2D g = image.createGraphics();
        g.setFont(FONT);
        double max = 0;
        double[][] fractions = new double[counts.size()][];
        for (int s = 0; s < counts.size(); s++) {
            long total = 0;
            for (long c : counts.get(s)) {
                total += c;
            }
            fractions[s] = new double[counts.get(s).length];
            for (int b = 0; b < fractions[s].length; b++) {
                fractions[s][b] = total == 0 ? 0 : (double) counts.get(s)[b] / total;
                max = Math.max(max, fractions[s][b]);
            }
        }
        int plotW = width - left - 10;
        int plotH = height - bottom - 10;
        int y0 = TITLE + 10 + plotH;
        g.setColor(Color.BLACK);
        g.drawLine(left, y0, left + plotW, y0);
        g.drawLine(left, y0, left, y0 - plotH);
        for (int deg = 0; deg <= 180; deg += 45) {
            int x = left + deg * plotW / 180;
            g.drawString(Integer.toString(deg), x - 8, y0 + 14);
        }
        g.drawString("degrees", left + plotW - 50, y0 + 26);
        g.drawString(String.format(Locale.ROOT, "%.2f", max), 2, y0 - plotH + 10);
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < fractions.length; s++) {
            g.setColor(SERIES[s % SERIES.length]);
            int bins = fractions[s].length;
            int px = -1;
            int py = -1;
            for (int b = 0; b < bins; b++) {
                int x = left + (int) Math.round((b + 0.5) * plotW / bins);
                int y = y0 - (int) Math.round(max == 0 ? 0 : fractions[s][b] / max * plotH);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawString(names.get(s), left + 10, TITLE + 24 + 14 * s);
        }
        g.dispose();
        return image;
    }

    /** Grouped bars: one group per label, one bar per series, values >= 0, printed above the bars. */
    static BufferedImage bars(String title, List<String> groups, List<String> series, double[][] values) {
        int width = 360;
        int height = 240;
        int bottom = 40;
        BufferedImage image = canvas(width, TITLE + height, title);
        Graphics2D g = image.createGraphics();
        g.setFont(FONT);
        double max = 1e-12;
        for (double[] group : values) {
            for (double v : group) {
                max = Math.max(max, v);
            }
        }
        int plotH = height - bottom - 20;
        int y0 = TITLE + 20 + plotH;
        int groupW = (width - 20) / groups.size();
        int barW = (groupW - 20) / series.size();
        for (int i = 0; i < groups.size(); i++) {
            int x0 = 10 + i * groupW + 10;
            for (int s = 0; s < series.size(); s++) {
                int h = (int) Math.round(values[i][s] / max * plotH);
                g.setColor(SERIES[(s + 1) % SERIES.length]);
                g.fillRect(x0 + s * barW, y0 - h, barW - 4, h);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.1f", values[i][s]), x0 + s * barW, y0 - h - 3);
                g.drawString(series.get(s), x0 + s * barW, y0 + 14);
            }
            g.drawString(groups.get(i), x0, y0 + 30);
        }
        g.dispose();
        return image;
    }

    /**
     * Rows of P drawn on the landmarks of the unit disc, in a pyramid (1, 2, 3, ... per line), each
     * landmark coloured by its weight, the scale of each disc normalized to its own row.
     */
    static BufferedImage discs(String title, double[][] landmarks, double[][] rows) {
        int size = 90;
        int lines = 1;
        while (lines * (lines + 1) / 2 < rows.length) {
            lines++;
        }
        BufferedImage image = canvas(lines * size, TITLE + lines * size, title);
        Graphics2D g = image.createGraphics();
        int r = 0;
        for (int line = 0; line < lines && r < rows.length; line++) {
            int offset = (lines - line - 1) * size / 2;
            for (int i = 0; i <= line && r < rows.length; i++, r++) {
                double max = 1e-12;
                for (double v : rows[r]) {
                    max = Math.max(max, Math.abs(v));
                }
                int cx = offset + i * size + size / 2;
                int cy = TITLE + line * size + size / 2;
                int radius = size / 2 - 4;
                g.setColor(Color.LIGHT_GRAY);
                g.drawOval(cx - radius, cy - radius, 2 * radius, 2 * radius);
                for (int j = 0; j < landmarks.length; j++) {
                    g.setColor(diverging((float) (rows[r][j] / max)));
                    int x = cx + (int) Math.round(landmarks[j][0] * radius);
                    int y = cy - (int) Math.round(landmarks[j][1] * radius);
                    g.fillOval(x - 2, y - 2, 5, 5);
                }
            }
        }
        g.dispose();
        return image;
    }

    /** Images one above the other, left-aligned, on white. */
    static BufferedImage stack(BufferedImage... parts) {
        int width = 0;
        int height = 0;
        for (BufferedImage p : parts) {
            width = Math.max(width, p.getWidth());
            height += p.getHeight();
        }
        BufferedImage image = canvas(width, height, null);
        Graphics2D g = image.createGraphics();
        int y = 0;
        for (BufferedImage p : parts) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight();
        }
        g.dispose();
        return image;
    }

    /** Images side by side, top-aligned, on white. */
    static BufferedImage row(BufferedImage... parts) {
        int width = 0;
        int height = 0;
        for (BufferedImage p : parts) {
            width += p.getWidth();
            height = Math.max(height, p.getHeight());
        }
        BufferedImage image = canvas(width, height, null);
        Graphics2D g = image.createGraphics();
        int x = 0;
        for (BufferedImage p : parts) {
            g.drawImage(p, x, 0, null);
            x += p.getWidth();
        }
        g.dispose();
        return image;
    }

    private static BufferedImage canvas(int width, int height, String title) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        if (title != null) {
            g.setColor(Color.BLACK);
            g.setFont(FONT.deriveFont(Font.BOLD));
            g.drawString(title, 4, 15);
        }
        g.dispose();
        return image;
    }

    /** v in [0, 1] from white to dark blue. */
    private static Color sequential(float v) {
        float t = Math.max(0, Math.min(1, v));
        return new Color(Math.round(255 - 230 * t), Math.round(255 - 200 * t), Math.round(255 - 100 * t));
    }

    /** v in [-1, 1]: blue, white at 0, red. */
    private static Color diverging(float v) {
        float t = Math.max(-1, Math.min(1, v));
        int fade = Math.round(255 * (1 - Math.abs(t)));
        return t >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }
}
