package org.smtstream.processor.offline.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.smtstream.model.Json;
import org.smtstream.model.NeedlePlot;
import org.smtstream.model.Needles;
import org.smtstream.model.SmtConfig;
import org.smtstream.model.TileLayout;
import org.smtstream.model.TurningAngles.Mean;
import org.smtstream.processor.math.analysis.NeedleComparison;
import org.smtstream.processor.offline.evaluation.ClipEvaluation;
import org.smtstream.processor.offline.evaluation.ClipEvaluationRun;
import org.smtstream.processor.offline.evaluation.ClipEvaluationRun.Hierarchy;
import org.smtstream.processor.offline.evaluation.ImageSpace;
import org.smtstream.processor.offline.evaluation.InverseLambdaGrid;
import org.smtstream.processor.offline.evaluation.TwoLayerSmt;
import org.smtstream.processor.offline.evaluation.UnitDiscDemo;

/**
 * Writes the evaluation of a clip as {@code report.json}, {@code report.md} and PNG and SVG figures into
 * one directory: the curvature table and histograms, the SNRs and sparsity, the next-frame prediction
 * table, thesis figures 3.4, 3.5 and 3.6A (needle plots), 3.6B and
 * 3.2, and, when it was run, the held-out protocol (ARCHITECTURE.md, "Measuring straightening") with
 * its controls.
 */
public final class EvaluationReport {

    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    /** Width the needle grid is scaled up to, at least, in screen pixels. */
    private static final double NEEDLE_GRID_PIXELS = 1200;
    private static final int GROUP_COLUMNS = 4;
    private static final int GROUP_BOX = 160;

    /** One written figure: its file name (in the report directory), pixel size and caption. */
    public record Figure(String file, int width, int height, String caption) {
    }

    private EvaluationReport() {
    }

    /** Writes the report into {@code dir} (created if needed) and returns its figures. */
    public static List<Figure> write(ClipEvaluationRun.Result contents, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Figure> figures = figures(contents, dir);
        Files.writeString(dir.resolve(JSON), json(contents, figures));
        Files.writeString(dir.resolve(MARKDOWN), markdown(contents, figures));
        return figures;
    }

    private static List<Figure> figures(ClipEvaluationRun.Result c, Path dir) throws IOException {
        ClipEvaluation.Result e = c.evaluation();
        ClipEvaluation.Figure34 f = e.figure34();
        List<Figure> out = new ArrayList<>();
        out.add(save(dir, "fig3_4_codes.png", Plots.stack(
                Plots.heatMap("A) alpha: the " + f.alpha().length + " most active units at location " + f.location()
                        + ", " + f.alpha()[0].length + " frames (each row rescaled)", f.alpha(), 6, 4),
                Plots.heatMap("B) beta = P alpha: all " + f.beta().length + " units", f.beta(), 6, 4)),
                "Figure 3.4 A-B: alpha rows against beta rows over " + f.alpha()[0].length + " frames at location "
                        + f.location() + " (the one with the most motion)."));
        int shown = Math.min(10, f.input().length);
        int every = Math.max(1, f.input().length / shown);
        float[][] input = new float[shown][];
        float[][] rec = new float[shown][];
        for (int i = 0; i < shown; i++) {
            input[i] = f.input()[i * every];
            rec[i] = f.reconstruction()[i * every];
        }
        out.add(save(dir, "fig3_4_frames.png", Plots.patchRows("C) every " + every + "th frame: input and Phi g(beta)",
                List.of("input (whitened)", "from beta"), List.of(input, rec), c.config().patchSize(), 4),
                String.format(Locale.ROOT, "Figure 3.4 C: whitened input patches (top) and their reconstructions "
                        + "Phi g(beta) from beta alone (bottom); SNR over these %d frames %.2f dB.", f.input().length,
                        f.snrInverseDb())));
        out.add(imageSpaceFigure(c.config(), e, dir));
        NeedleComparison n = e.needles();
        BufferedImage needles = needleBars("The model (online P): top " + n.k() + " of " + n.atoms() + " atoms", n);
        if (c.protocolNeedles() != null) {
            needles = Plots.row(needles, needleBars("Protocol (P of eq. 3.3): top " + c.protocolNeedles().k() + " of "
                    + c.protocolNeedles().atoms() + " atoms", c.protocolNeedles()));
        }
        out.add(save(dir, "fig3_6b_needles.png", needles,
                "Figure 3.6B: mean difference in needle length and angle between an atom and its top-" + n.k()
                        + " neighbours in embedding space (E, columns of P) and in pixel space (P, columns of Phi); "
                        + "chance = all pairs" + (c.protocolNeedles() == null ? "." : "; left the model's online P, "
                        + "right the held-out protocol's Phi and analytic P.")));
        out.addAll(needleFigures(e.needlePlots(), dir));
        UnitDiscDemo d = c.disc();
        out.add(save(dir, "fig3_2_unit_disc.png", Plots.discs("Rows of P (f = " + d.rows().length + ") on "
                        + d.landmarks().length + " landmarks", d.landmarks(), d.rows()),
                "Figure 3.2A: the rows of P fitted by eq. 3.3 to straight motions on the unit disc, each drawn on "
                        + "the landmarks (red positive, blue negative, each disc scaled to its own row)."));
        if (c.hierarchy() != null) {
            out.add(hierarchyFigure(c.config(), c.hierarchy(), dir));
        }
        List<BufferedImage> panels = new ArrayList<>();
        int[] steps = e.curves().get(0).steps();
        for (int i = 0; i < steps.length; i++) {
            List<long[]> counts = new ArrayList<>();
            for (ClipEvaluation.Curves curve : e.curves()) {
                counts.add(curve.histogramMoving()[i]);
            }
            panels.add(Plots.histograms("k = " + steps[i] + ", moving locations", names(e), counts));
        }
        out.add(save(dir, "curvature_hist.png", Plots.row(panels.toArray(BufferedImage[]::new)),
                "Distribution of the curvature (angle between successive differences) on the moving locations, "
                        + "per step k, for whitened pixels, alpha and beta."));
        return out;
    }

    /** Figures 3.5 and 3.6A, as SVG: thousands of thin needles stay sharp at any zoom. */
    private static List<Figure> needleFigures(ClipEvaluation.NeedlePlots plots, Path dir) throws IOException {
        Needles needles = plots.needles();
        int atoms = needles.size();
        int columns = (int) Math.ceil(Math.sqrt(atoms));
        double scale = Math.max(1.0, NEEDLE_GRID_PIXELS / new TileLayout(plots.patchSize(), columns, atoms).width());
        long defined = IntStream.range(0, atoms).filter(needles::defined).count();
        NeedlePlot.Drawing grid = NeedlePlot.titledGrid("Needles of all " + atoms + " atoms, atom 0 top left, "
                + columns + " per row", needles, plots.patchSize(), IntStream.range(0, atoms).toArray(), columns,
                scale);
        int k = plots.groups().stream().mapToInt(g -> g.neighbours().length).max().orElse(0);
        NeedlePlot.Drawing groups = NeedlePlot.groups("Affinity groups: an atom (red) and its top " + k
                + " neighbours in the embedding", needles, plots.patchSize(), plots.groups(), GROUP_COLUMNS, GROUP_BOX);
        return List.of(
                saveSvg(dir, "fig3_5_needles.svg", grid, String.format(Locale.ROOT, "Figure 3.5: every atom of Phi "
                        + "as a needle in its own %dx%d box (%d of %d have one; an empty box is an atom without "
                        + "energy): centre and length from a Gaussian fitted to the atom's envelope, orientation "
                        + "from its power spectrum; the worse the Gaussian fits, the fainter the needle.",
                        plots.patchSize(), plots.patchSize(), defined, atoms)),
                saveSvg(dir, "fig3_6a_affinity_needles.svg", groups, "Figure 3.6A: affinity groups as needle plots. "
                        + "Each box is one group: an atom picked at random among the best-fit ones (red) and its top "
                        + k + " neighbours by cosine of P's columns, shaded from light to dark blue by that cosine "
                        + "divided by the group's largest."));
    }

    private static Figure saveSvg(Path dir, String file, NeedlePlot.Drawing drawing, String caption)
            throws IOException {
        Files.writeString(dir.resolve(file), drawing.markup());
        return new Figure(file, (int) Math.ceil(drawing.width()), (int) Math.ceil(drawing.height()), caption);
    }

    private static Figure imageSpaceFigure(SmtConfig config, ClipEvaluation.Result e, Path dir) throws IOException {
        ImageSpace p = e.imageSpace();
        String caption = String.format(Locale.ROOT, "Input and reconstructions in whitened space (top three rows) and "
                + "in image space, the whitening undone by C (bottom three; the frame's mean and the frequencies "
                + "the whitening mask removed are not recovered), each picture scaled to its own range, mid grey = "
                + "0. SNR over all evaluated frames: Phi alpha %.2f dB whitened, %.2f dB in image space; Phi g(beta) "
                + "%.2f dB whitened, %.2f dB in image space.", e.snrAlphaDb(), e.snrAlphaImageDb(), e.snrInverseDb(),
                e.snrInverseImageDb());
        return save(dir, "image_space.png", Plots.patchRows("Evaluated frames " + Arrays.toString(p.frames())
                        + " (of those not blank), whitened and in image space",
                List.of("x (whitened)", "Phi alpha", "Phi g(beta)", "C x", "C Phi alpha", "C Phi g(beta)"),
                List.of(p.whitened(), p.fromAlpha(), p.fromBeta(), p.unwhitened(), p.fromAlphaUnwhitened(),
                        p.fromBetaUnwhitened()), config.frameSize(), 2), caption);
    }

    private static BufferedImage needleBars(String title, NeedleComparison n) {
        return Plots.bars(title, List.of("Delta length (px)", "Delta angle (deg)"), List.of("E", "P", "chance"),
                new double[][] {{n.embeddingLength(), n.pixelLength(), n.chanceLength()},
                    {n.embeddingAngle(), n.pixelAngle(), n.chanceAngle()}});
    }

    private static Figure hierarchyFigure(SmtConfig config, Hierarchy h, Path dir) throws IOException {
        TwoLayerSmt.Reconstruction r = h.reconstruction();
        int count = h.input().size();
        List<float[][]> rows = new ArrayList<>();
        for (List<float[]> source : List.of(h.input(), r.fromAlpha1(), r.fromBeta1(), r.fromAlpha2())) {
            float[][] row = new float[count][];
            for (int i = 0; i < count; i++) {
                row[i] = config.geometry().assemble(source.get(i));
            }
            rows.add(row);
        }
        int side = config.frameSize();
        String captionFormat = "Figure 3.7D: whitened input frames and their reconstructions from layer 1's "
                + "alpha (%.2f dB), from layer 1's beta via g (%.2f dB) and from layer 2's alpha via "
                + "Phi2 and g (%.2f dB); SNR over all reconstructed frames.";
        return save(dir, "fig3_7d_layers.png", Plots.patchRows("Frames " + Arrays.toString(h.frames())
                        + ": input and reconstructions", List.of("input (whitened)", "from alpha 1", "from beta 1",
                        "from alpha 2"), rows, side, 1),
                String.format(Locale.ROOT, captionFormat, r.snrAlpha1Db(), r.snrBeta1Db(), r.snrAlpha2Db()));
    }

    private static List<String> names(ClipEvaluation.Result e) {
        return e.curves().stream().map(ClipEvaluation.Curves::name).toList();
    }

    private static Figure save(Path dir, String file, BufferedImage image, String caption) throws IOException {
        Plots.write(image, dir.resolve(file));
        return new Figure(file, image.getWidth(), image.getHeight(), caption);
    }

    static String json(ClipEvaluationRun.Result c, List<Figure> figures) {
        ClipEvaluation.Result e = c.evaluation();
        SmtConfig config = c.config();
        ObjectNode j = Json.object()
                .put("clip", e.clip())
                .put("preset", config.name()).put("n", config.patchDim()).put("N", config.dictionarySize())
                .put("f", config.embeddingDim()).put("lambda", config.lambda())
                .put("training", c.training())
                .put("modelVersion", e.modelVersion()).put("frames", e.frames()).put("blankFrames", e.blankFrames())
                .put("locations", e.locations());
        j.set("movingLocations", Json.tree(e.movingLocations()));
        j.put("snrAlphaDb", e.snrAlphaDb()).put("snrInverseDb", e.snrInverseDb())
                .put("snrAlphaImageDb", e.snrAlphaImageDb()).put("snrInverseImageDb", e.snrInverseImageDb())
                .put("inverseLambdaFraction", config.inverseLambdaFraction())
                .put("trainingLambdaFraction", c.trainingLambdaFraction());
        ArrayNode grid = j.putArray("inverseGrid");
        e.inverseGrid().forEach(p -> grid.addObject().put("lambda", p.lambda())
                .put("units", p.relative() ? "fraction of lambda_max" : "beta").put("tolerance", p.tolerance())
                .put("snrAllDb", p.snrAllDb()).put("snrMovingDb", p.snrMovingDb())
                .put("iterationsMean", p.iterationsMean()));
        j.put("activeFraction", e.activeFraction())
                .put("histogramBinDegrees", 180.0 / e.curves().get(0).histogramAll()[0].length);
        ArrayNode curvature = j.putArray("curvature");
        e.curves().forEach(curve -> curvature.add(curvesJson(curve)));
        j.set("prediction", e.prediction().toJsonTree());
        j.set("needles", Json.tree(e.needles()));
        j.set("protocolNeedles", Json.tree(c.protocolNeedles()));
        ArrayNode groups = j.putArray("affinityGroups");
        e.needlePlots().groups().forEach(g -> groups.addObject().put("atom", g.atom())
                .set("neighbours", Json.tree(g.neighbours())));
        ClipEvaluation.Figure34 f = e.figure34();
        j.putObject("figure34").put("location", f.location()).put("frames", f.input().length)
                .put("alphaUnits", f.alpha().length).put("betaUnits", f.beta().length)
                .put("snrInverseDb", f.snrInverseDb());
        UnitDiscDemo d = c.disc();
        j.putObject("unitDisc").put("landmarks", d.landmarks().length).put("f", d.rows().length)
                .put("curvatureAlpha", d.curvatureAlpha()).put("curvatureBeta", d.curvatureBeta())
                .put("curvatureRandom", d.curvatureRandom());
        if (c.hierarchy() != null) {
            j.set("hierarchy", hierarchyJson(c.hierarchy()));
        }
        j.set("figures", Json.tree(figures));
        j.put("seconds", e.seconds());
        j.set("protocol", c.protocol() == null ? null : c.protocol().toJsonTree());
        return Json.writePretty(j);
    }

    /** The table "SNR of Phi g(beta) against lambda" as list items of the headline section. */
    static String inverseGridMarkdown(ClipEvaluationRun.Result c) {
        ClipEvaluation.Result e = c.evaluation();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "- g's lambda: %s of each patch's lambda_max "
                + "(configured)", c.config().inverseLambdaFraction()));
        if (!Double.isNaN(c.trainingLambdaFraction())) {
            md.append(String.format(Locale.ROOT, "; the training frames pick %s", c.trainingLambdaFraction()));
        }
        md.append("\n\nSNR of Phi g(beta) against lambda, on the evaluated frames (Phi alpha: ")
                .append(format(e.snrAlphaDb())).append(" dB):\n\n")
                .append("| lambda | stopping tolerance | all, dB | moving, dB | iterations per batch |\n")
                .append("|---|---:|---:|---:|---:|\n");
        for (InverseLambdaGrid.Point p : e.inverseGrid()) {
            md.append(String.format(Locale.ROOT, "| %s %s | %s | %.2f | %.2f | %.0f |%n", p.lambda(),
                    p.relative() ? "x lambda_max" : "(fixed, units of beta)", p.tolerance(), p.snrAllDb(),
                    p.snrMovingDb(), p.iterationsMean()));
        }
        return md.append('\n').toString();
    }

    private static ObjectNode curvesJson(ClipEvaluation.Curves curve) {
        ObjectNode r = Json.object().put("representation", curve.name()).put("dimension", curve.dimension());
        ArrayNode steps = r.putArray("steps");
        for (int i = 0; i < curve.steps().length; i++) {
            Mean all = curve.all()[i];
            Mean moving = curve.moving()[i];
            ObjectNode step = steps.addObject().put("k", curve.steps()[i])
                    .put("all", all.meanDegrees()).put("allPairs", all.pairs())
                    .put("moving", moving.meanDegrees()).put("movingPairs", moving.pairs());
            step.set("histogramAll", Json.tree(curve.histogramAll()[i]));
            step.set("histogramMoving", Json.tree(curve.histogramMoving()[i]));
        }
        return r;
    }

    private static ObjectNode hierarchyJson(Hierarchy h) {
        TwoLayerSmt.Reconstruction r = h.reconstruction();
        return Json.object().put("training", h.training())
                .put("n2", h.config2().patchDim()).put("N2", h.config2().dictionarySize())
                .put("f2", h.config2().embeddingDim()).put("locations2", h.config2().patchesPerFrame())
                .put("snrAlpha1Db", r.snrAlpha1Db()).put("snrBeta1Db", r.snrBeta1Db())
                .put("snrAlpha2Db", r.snrAlpha2Db()).put("activeFraction2", r.activeFraction2());
    }

    static String markdown(ClipEvaluationRun.Result c, List<Figure> figures) {
        ClipEvaluation.Result e = c.evaluation();
        SmtConfig config = c.config();
        StringBuilder md = new StringBuilder("# SMT evaluation: ").append(e.clip()).append("\n\n");
        md.append(String.format(Locale.ROOT, "Model v%d, %s preset (n = %d, N = %d, f = %d, lambda = %s). %s%n%n",
                e.modelVersion(), config.name(), config.patchDim(), config.dictionarySize(), config.embeddingDim(),
                config.lambda(), c.training()));
        md.append(String.format(Locale.ROOT, "Evaluated on %d frames x %d locations (%d moving: the quarter with the "
                        + "most pixel motion). Codes by plain positive sparse coding from zero, so no code borrows "
                        + "from its neighbours in time; beta = P alpha with the model's own P.%n%n", e.frames(),
                e.locations(), e.movingLocations().length));
        if (e.blankFrames() > 0) {
            md.append(String.format(Locale.ROOT, "%d of the frames are blank (nothing in them): left out of every "
                    + "number below, and no trajectory steps across them.%n%n", e.blankFrames()));
        }
        md.append("## Headline numbers\n\n");
        md.append(String.format(Locale.ROOT, "- SNR of Phi alpha: **%.2f dB**; of Phi g(beta): **%.2f dB** (whitened "
                + "space, against x)%n", e.snrAlphaDb(), e.snrInverseDb()));
        md.append(String.format(Locale.ROOT, "- In image space, C Phi alpha: **%.2f dB**; C Phi g(beta): **%.2f dB** "
                + "(against C x: the whitening undone, less the frame's mean and the frequencies the mask "
                + "removed)%n", e.snrAlphaImageDb(), e.snrInverseImageDb()));
        md.append(inverseGridMarkdown(c));
        md.append(String.format(Locale.ROOT, "- Sparsity: %.2f %% of the codes are non-zero (%.1f of %d atoms per "
                + "patch)%n", 100 * e.activeFraction(), e.activeFraction() * config.dictionarySize(),
                config.dictionarySize()));
        md.append("\nCurvature in degrees (mean angle between successive differences at step k):\n\n");
        int[] steps = e.curves().get(0).steps();
        md.append("| representation | d |");
        for (int k : steps) {
            md.append(" k=").append(k).append(" all |");
        }
        for (int k : steps) {
            md.append(" k=").append(k).append(" moving |");
        }
        md.append("\n|---|---:|").append("---:|".repeat(2 * steps.length)).append('\n');
        for (ClipEvaluation.Curves curve : e.curves()) {
            md.append("| ").append(curve.name()).append(" | ").append(curve.dimension()).append(" |");
            for (Mean a : curve.all()) {
                md.append(' ').append(format(a.meanDegrees())).append(" |");
            }
            for (Mean a : curve.moving()) {
                md.append(' ').append(format(a.meanDegrees())).append(" |");
            }
            md.append('\n');
        }
        md.append("\n").append(e.prediction().toMarkdown());
        NeedleComparison n = e.needles();
        md.append(String.format(Locale.ROOT,
                "%nFigure 3.6B, %d best-fit atoms, top-%d neighbours: Delta angle %.1f deg "
                        + "in embedding space against %.1f in pixel space (chance %.1f); Delta length %.2f against "
                        + "%.2f px (chance %.2f).%n", n.atoms(), n.k(), n.embeddingAngle(), n.pixelAngle(),
                n.chanceAngle(), n.embeddingLength(), n.pixelLength(), n.chanceLength()));
        NeedleComparison pn = c.protocolNeedles();
        if (pn != null) {
            String needlesFormat = "The same with the held-out protocol's Phi and P (eq. 3.3): Delta angle "
                    + "%.1f deg in embedding space against %.1f in pixel space (chance %.1f); Delta length %.2f "
                    + "against %.2f px (chance %.2f).%n";
            md.append(String.format(Locale.ROOT, needlesFormat, pn.embeddingAngle(), pn.pixelAngle(),
                    pn.chanceAngle(), pn.embeddingLength(), pn.pixelLength(), pn.chanceLength()));
        }
        UnitDiscDemo d = c.disc();
        md.append(String.format(Locale.ROOT, "%nUnit disc (figure 3.2): held-out curvature at k = 1 alpha %.1f, beta "
                + "%.1f, random P %.1f degrees.%n", d.curvatureAlpha(), d.curvatureBeta(), d.curvatureRandom()));
        Hierarchy h = c.hierarchy();
        if (h != null) {
            TwoLayerSmt.Reconstruction r = h.reconstruction();
            String layersFormat = "%nTwo layers (figure 3.7D): layer 2 codes the betas of 2 x 2 "
                    + "neighbouring locations (n2 = %d, N2 = %d, %d locations; %.2f %% of its codes non-zero). "
                    + "%s Reconstruction SNR: from alpha 1 %.2f dB, from beta 1 %.2f dB, from alpha 2 %.2f dB.%n";
            md.append(String.format(Locale.ROOT, layersFormat,
                    h.config2().patchDim(), h.config2().dictionarySize(), h.config2().patchesPerFrame(),
                    100 * r.activeFraction2(), h.training(), r.snrAlpha1Db(), r.snrBeta1Db(), r.snrAlpha2Db()));
        }
        md.append("\n## Figures\n\n");
        for (Figure fig : figures) {
            md.append("![").append(fig.file()).append("](").append(fig.file()).append(")\n\n")
                    .append(fig.caption()).append("\n\n");
        }
        if (c.protocol() != null) {
            md.append("## Held-out protocol\n\n");
            md.append("Independent of the model above: Phi and P (eq. 3.3) trained on the first ")
                    .append(Math.round(100 * c.protocol().options().trainFraction()))
                    .append(" % of the clip, measured on the rest, with controls from the same codes.\n\n");
            md.append(c.protocol().toMarkdown());
        }
        return md.toString();
    }

    private static String format(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "n/a";
    }
}
