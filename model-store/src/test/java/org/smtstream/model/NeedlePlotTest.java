package org.smtstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Needle plots read back as XML: where each needle's line lies, in its box, and how it is shaded. */
class NeedlePlotTest {

    private static final int P = 16;

    /** Atom 0: centre (row 4, col 10), 30 deg, length 6; atom 1 undefined; atom 2: centre (8, 8), 90 deg, 4. */
    private static final Needles NEEDLES = Needles.of(new double[] {4, Double.NaN, 8}, new double[] {10, Double.NaN, 8},
            new double[] {30, Double.NaN, 90}, new double[] {6, Double.NaN, 4}, new double[] {0.8, 0, 1});

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> needles(Document doc) {
        NodeList lines = doc.getElementsByTagName("line");
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < lines.getLength(); i++) {
            out.add((Element) lines.item(i));
        }
        return out;
    }

    private static double attr(Element e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }

    @Test
    void shouldDrawANeedleThroughItsCentreAlongItsAngleAsLongAsItsLength() throws Exception {
        List<Element> lines = needles(parse(NeedlePlot.grid(NEEDLES, P, new int[] {0}, 1, true, 1).markup()));
        assertEquals(1, lines.size());
        Element line = lines.get(0);
        double x1 = attr(line, "x1");
        double y1 = attr(line, "y1");
        double x2 = attr(line, "x2");
        double y2 = attr(line, "y2");
        assertEquals(10.5, (x1 + x2) / 2, 1e-3, "pixel column 10 spans [10, 11)");
        assertEquals(4.5, (y1 + y2) / 2, 1e-3);
        assertEquals(6, Math.hypot(x2 - x1, y2 - y1), 1e-3);
        assertEquals(30, Math.toDegrees(Math.atan2(y2 - y1, x2 - x1)), 1e-2, "y down, as the rows");
    }

    @Test
    void shouldPutEachAtomInItsOwnTileOfTheAtomPicturesLayout() throws Exception {
        Document doc = parse(NeedlePlot.grid(NEEDLES, P, new int[] {2, 1, 0}, 2, true, 3).markup());
        TileLayout layout = new TileLayout(P, 2, 3);
        Element root = doc.getDocumentElement();
        assertEquals("0 0 " + layout.width() + ".000 " + layout.height() + ".000", root.getAttribute("viewBox"));
        assertEquals(3.0 * layout.width(), attr(root, "width"), 1e-9);
        Map<String, Integer> tileOf = Map.of("2", 0, "1", 1, "0", 2);
        NodeList boxes = root.getElementsByTagName("svg");
        assertEquals(3, boxes.getLength(), "one box per atom, the undefined one included");
        for (int i = 0; i < boxes.getLength(); i++) {
            Element box = (Element) boxes.item(i);
            int k = tileOf.get(box.getAttribute("data-atom"));
            assertEquals(layout.x(k), attr(box, "x"), 1e-9);
            assertEquals(layout.y(k), attr(box, "y"), 1e-9);
        }
        List<Element> lines = needles(doc);
        assertEquals(List.of("2", "0"), lines.stream().map(l -> l.getAttribute("data-atom")).toList(),
                "the undefined atom has a box but no needle");
    }

    @Test
    void shouldShadeNeighboursByNormalizedCosineAndDrawTheAtomLast() throws Exception {
        NeedlePlot.Group group = new NeedlePlot.Group(2, new int[] {0, 1}, new float[] {0.5f, 0.25f});
        List<Element> lines = needles(parse(NeedlePlot.group(NEEDLES, P, group, 160).markup()));
        assertEquals(2, lines.size(), "atom 1 has no needle");
        assertEquals("0", lines.get(0).getAttribute("data-atom"));
        assertEquals(NeedlePlot.shade(1.0), lines.get(0).getAttribute("stroke"), "the most similar is darkest");
        assertEquals("2", lines.get(1).getAttribute("data-atom"));
        assertEquals(NeedlePlot.SEED, lines.get(1).getAttribute("stroke"));
        assertEquals(8.5, attr(lines.get(1), "x1"), 1e-3, "vertical needle through column 8");
        assertEquals(6.5, attr(lines.get(1), "y1"), 1e-3);
    }

    @Test
    void shouldShadeFromLightToDark() {
        assertEquals("#c6dbef", NeedlePlot.shade(0));
        assertEquals("#08306b", NeedlePlot.shade(1));
    }

    @Test
    void shouldCaptionEveryGroupOfAFigure() throws Exception {
        List<NeedlePlot.Group> groups = List.of(new NeedlePlot.Group(0, new int[] {2}, new float[] {0.9f}),
                new NeedlePlot.Group(2, new int[] {0}, new float[] {0.9f}));
        Document doc = parse(NeedlePlot.groups("groups <&>", NEEDLES, P, groups, 1, 100).markup());
        NodeList texts = doc.getElementsByTagName("text");
        assertEquals("groups <&>", texts.item(0).getTextContent());
        assertEquals("atom 2", texts.item(2).getTextContent());
        assertEquals(4, needles(doc).size());
        assertTrue(doc.getDocumentElement().getAttribute("height").startsWith("2"), "two rows of one");
    }

    @Test
    void shouldRejectAnAtomOutsideTheDictionary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeedlePlot.grid(NEEDLES, P, new int[] {3}, 1, true, 1).markup());
        assertEquals("Atom 3 outside [0, 3)", e.getMessage());
    }
}
