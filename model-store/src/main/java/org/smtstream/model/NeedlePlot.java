package org.smtstream.model;

import java.util.List;
import java.util.Locale;

/**
 * Needle plots as SVG (thesis figures 3.5 and 3.6A), drawn the same way for the evaluation report and
 * the web view: each atom is a line segment through its fitted centre, along its bar orientation, as
 * long as its fitted length, inside a patch-sized box ({@link Needles} gives the geometry). A box is
 * a nested {@code svg} element, which clips a needle longer than the patch to its own box.
 *
 * <p>Coordinates: pixel (r, c) covers [c, c + 1) x [r, r + 1) of its box, so a needle centred on
 * pixel (r, c) is drawn at (c + 0.5, r + 0.5); SVG's y points down like the rows, so the angle,
 * measured from +x toward +y, is drawn as it is. Every needle element carries {@code data-atom}.
 */
public final class NeedlePlot {

    /** Colour of a needle drawn over atom tiles: stands out on any grey. */
    static final String OVERLAY = "#ff3b30";
    static final String SEED = "#d62728";
    /** Neighbours shade from the first (weakest) to the second (strongest) colour, as in the thesis. */
    private static final int[] WEAK = {0xc6, 0xdb, 0xef};
    private static final int[] STRONG = {0x08, 0x30, 0x6b};
    /**
     * Width of a needle on screen, in pixels, however far the plot is magnified: a needle is a line,
     * and a stroke scaled with a 240-pixel box would hide the neighbours under each other.
     */
    private static final double STROKE = 1.5;
    private static final int TITLE = 20;
    private static final int CAPTION = 16;

    private NeedlePlot() {
    }

    /**
     * An atom and its nearest neighbours in the embedding, the neighbours most similar first.
     *
     * @param similarities cosine similarity of each neighbour to the atom
     */
    public record Group(int atom, int[] neighbours, float[] similarities) {
        public Group {
            if (neighbours.length != similarities.length) {
                throw new IllegalArgumentException(neighbours.length + " neighbours with " + similarities.length
                        + " similarities");
            }
        }
    }

    /**
     * An SVG document and its size on screen, in pixels.
     *
     * @param markup the document
     */
    public record Drawing(String markup, double width, double height) {
    }

    /**
     * The needles of {@code atoms}, one per tile in {@link TileLayout} order, in tile pixels.
     *
     * @param overlay true: transparent tiles and bright needles, to lay over the atom pictures of the same
     *                layout; false: white tiles on a dark frame, needles black and fainter the worse they fit
     * @param scale   screen pixels per tile pixel
     */
    public static Drawing grid(Needles needles, int patchSize, int[] atoms, int columns, boolean overlay,
            double scale) {
        TileLayout layout = new TileLayout(patchSize, columns, atoms.length);
        Writer svg = new Writer(layout.width(), layout.height(), scale);
        if (!overlay) {
            svg.out.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#202020\"/>",
                    layout.width(), layout.height()));
        }
        for (int k = 0; k < atoms.length; k++) {
            int atom = checked(needles, atoms[k]);
            String fill = overlay ? "transparent" : "#fff";
            svg.openBox(layout.x(k), layout.y(k), patchSize, patchSize, patchSize, atom, fill);
            if (needles.defined(atom)) {
                double opacity = overlay ? 1.0 : 0.25 + 0.75 * needles.quality(atom);
                svg.needle(needles, atom, overlay ? OVERLAY : "#000", STROKE, opacity);
            }
            svg.out.append("</svg>");
        }
        return svg.close();
    }

    /** {@link #grid} under a title line, for a figure on its own. */
    public static Drawing titledGrid(String title, Needles needles, int patchSize, int[] atoms, int columns,
            double scale) {
        TileLayout layout = new TileLayout(patchSize, columns, atoms.length);
        int width = (int) Math.ceil(layout.width() * scale);
        int height = (int) Math.ceil(layout.height() * scale);
        Writer svg = new Writer(width, TITLE + height, 1);
        svg.text(4, TITLE - 6, title);
        svg.out.append(String.format(Locale.ROOT, "<svg y=\"%d\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                TITLE, width, height, layout.width(), layout.height()))
                .append(body(grid(needles, patchSize, atoms, columns, false, scale).markup())).append("</svg>");
        return svg.close();
    }

    /**
     * One affinity group as a needle plot in one patch box: the neighbours shaded by their cosine
     * similarity normalized by the group's largest, weakest drawn first, and the atom itself on top in red.
     *
     * @param boxPixels side of the box on screen
     */
    public static Drawing group(Needles needles, int patchSize, Group group, int boxPixels) {
        Writer svg = new Writer(boxPixels, boxPixels, 1);
        drawGroup(svg, needles, patchSize, group, 0, 0, boxPixels);
        return svg.close();
    }

    /** Several affinity groups, {@code columns} per row, each captioned with its atom, under a title. */
    public static Drawing groups(String title, Needles needles, int patchSize, List<Group> groups, int columns,
            int boxPixels) {
        int gap = 8;
        int rows = (groups.size() + columns - 1) / columns;
        int cellHeight = boxPixels + CAPTION + gap;
        Writer svg = new Writer(Math.min(columns, Math.max(1, groups.size())) * (boxPixels + gap) + gap,
                TITLE + rows * cellHeight, 1);
        svg.text(4, TITLE - 6, title);
        for (int i = 0; i < groups.size(); i++) {
            int x = gap + (i % columns) * (boxPixels + gap);
            int y = TITLE + (i / columns) * cellHeight;
            drawGroup(svg, needles, patchSize, groups.get(i), x, y, boxPixels);
            svg.text(x, y + boxPixels + CAPTION - 4, "atom " + groups.get(i).atom());
        }
        return svg.close();
    }

    private static void drawGroup(Writer svg, Needles needles, int patchSize, Group group, int x, int y,
            int boxPixels) {
        checked(needles, group.atom());
        svg.openBox(x, y, boxPixels, boxPixels, patchSize, group.atom(), "#fff");
        svg.out.append(String.format(Locale.ROOT,
                "<rect width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\" stroke-width=\"1\" "
                + "vector-effect=\"non-scaling-stroke\"/>", patchSize, patchSize));
        float strongest = 0;
        for (float s : group.similarities()) {
            strongest = Math.max(strongest, s);
        }
        for (int i = group.neighbours().length - 1; i >= 0; i--) {
            int atom = checked(needles, group.neighbours()[i]);
            if (needles.defined(atom)) {
                double shade = strongest > 0 ? Math.max(0, Math.min(1, group.similarities()[i] / strongest)) : 0;
                svg.needle(needles, atom, shade(shade), STROKE, 1.0);
            }
        }
        if (needles.defined(group.atom())) {
            svg.needle(needles, group.atom(), SEED, 2 * STROKE, 1.0);
        }
        svg.out.append("</svg>");
    }

    /** The colour of a neighbour of normalized similarity {@code s} in [0, 1]. */
    static String shade(double s) {
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (int) Math.round(WEAK[c] + s * (STRONG[c] - WEAK[c]));
        }
        return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }

    private static int checked(Needles needles, int atom) {
        if (atom < 0 || atom >= needles.size()) {
            throw new IllegalArgumentException("Atom " + atom + " outside [0, " + needles.size() + ")");
        }
        return atom;
    }

    /** The markup between an SVG document's root tags. */
    private static String body(String svg) {
        return svg.substring(svg.indexOf('>') + 1, svg.lastIndexOf("</svg>"));
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A document being written: the root element, boxes, needles and text. */
    private static final class Writer {
        final StringBuilder out = new StringBuilder();
        final double width;
        final double height;

        Writer(double width, double height, double scale) {
            this.width = width * scale;
            this.height = height * scale;
            out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %s %s\" "
                    + "width=\"%s\" height=\"%s\">", number(width), number(height), number(width * scale),
                    number(height * scale)));
        }

        /** A patch box of p x p user units shown at (x, y) as width x height; clips what is drawn in it. */
        void openBox(double x, double y, double width, double height, int p, int atom, String fill) {
            out.append(String.format(Locale.ROOT, "<svg x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
                    + "viewBox=\"0 0 %d %d\" data-atom=\"%d\"><rect width=\"%d\" height=\"%d\" fill=\"%s\"/>",
                    number(x), number(y), number(width), number(height), p, p, atom, p, p, fill));
        }

        void needle(Needles needles, int atom, String colour, double stroke, double opacity) {
            double t = Math.toRadians(needles.angleDegrees(atom));
            double dx = 0.5 * needles.length(atom) * Math.cos(t);
            double dy = 0.5 * needles.length(atom) * Math.sin(t);
            double x = needles.centreCol(atom) + 0.5;
            double y = needles.centreRow(atom) + 0.5;
            out.append(String.format(Locale.ROOT, "<line class=\"needle\" data-atom=\"%d\" x1=\"%s\" y1=\"%s\" "
                    + "x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"%s\" stroke-linecap=\"round\" "
                    + "vector-effect=\"non-scaling-stroke\"%s/>", atom,
                    number(x - dx), number(y - dy), number(x + dx), number(y + dy), colour, number(stroke),
                    opacity < 1 ? " stroke-opacity=\"" + number(opacity) + "\"" : ""));
        }

        void text(double x, double y, String text) {
            out.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%s\" font-family=\"sans-serif\" "
                    + "font-size=\"12\">%s</text>", number(x), number(y), escape(text)));
        }

        Drawing close() {
            return new Drawing(out.append("</svg>").toString(), width, height);
        }

        private static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
