package org.smtstream.deploy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Small line charts written as SVG text, stacked in one picture: enough for a soak report in the
 * docs without a plotting dependency. Each panel scales its own y axis from zero.
 */
final class SvgChart {

    private static final int WIDTH = 640;
    private static final int PANEL_HEIGHT = 150;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 24;
    private static final int BOTTOM = 24;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

    private final StringBuilder body = new StringBuilder();
    private final String title;
    private int panels;

    SvgChart(String title) {
        this.title = title;
    }

    /** Adds a panel: {@code series} by name over {@code x} (seconds), y from zero to its maximum. */
    SvgChart panel(String yLabel, double[] x, Map<String, double[]> series) {
        int y0 = TOP + panels * (PANEL_HEIGHT + BOTTOM + TOP);
        int plotWidth = WIDTH - LEFT - RIGHT;
        double xMax = Math.max(1, x.length == 0 ? 1 : x[x.length - 1]);
        double yMax = series.values().stream().flatMapToDouble(Arrays::stream)
                .filter(Double::isFinite).max().orElse(1);
        yMax = yMax <= 0 ? 1 : yMax * 1.1;
        body.append(String.format(Locale.ROOT, "<g transform=\"translate(%d,%d)\">%n", LEFT, y0));
        body.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                plotWidth, PANEL_HEIGHT));
        body.append(String.format(Locale.ROOT, "<text x=\"-8\" y=\"10\" text-anchor=\"end\">%s</text>%n", fmt(yMax)));
        body.append(String.format(Locale.ROOT, "<text x=\"-8\" y=\"%d\" text-anchor=\"end\">0</text>%n", PANEL_HEIGHT));
        body.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"-6\">%s</text>%n", escape(yLabel)));
        body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s s</text>%n",
                plotWidth, PANEL_HEIGHT + 16, fmt(xMax)));
        int colour = 0;
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            StringBuilder points = new StringBuilder();
            double[] y = s.getValue();
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                if (Double.isFinite(y[i])) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x[i] / xMax * plotWidth,
                            PANEL_HEIGHT - y[i] / yMax * PANEL_HEIGHT));
                }
            }
            String c = COLOURS[colour % COLOURS.length];
            body.append(String.format(Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
                    c, points.toString().trim()));
            body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
                    plotWidth + 8, 14 + 16 * colour, c, escape(s.getKey())));
            colour++;
        }
        body.append("</g>\n");
        panels++;
        return this;
    }

    /** The picture. */
    String svg() {
        int height = panels * (PANEL_HEIGHT + BOTTOM + TOP) + TOP;
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n"
                + "<text x=\"%d\" y=\"14\" font-weight=\"bold\">%s</text>%n",
                WIDTH, height + 10, LEFT, escape(title))
                + "<g transform=\"translate(0,10)\">\n" + body + "</g>\n</svg>\n";
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
