package org.smtstream.model;

/**
 * The needle of every atom of a dictionary (thesis section 3.3): where in its patch an atom lies, which
 * way its bars run and how far they extend. The processor fits them (its {@code NeedleFit}) and
 * publishes them with a model version, so every picture of them, the report's and the web view's,
 * draws the same fit.
 *
 * <p>One row per atom, {@link #FIELDS} columns: centre row and column (pixel (r, c) of the patch is
 * at x = c, y = r, y pointing down), the bar orientation in degrees in [0, 180) measured from +x
 * toward +y, the length in pixels, and the fit quality in [0, 1]. An atom without a needle (all
 * zero) has a row of zeros: quality 0 marks it, since a model carries only finite values.
 *
 * @param table N x {@link #FIELDS}
 */
public record Needles(FloatMatrix table) {

    public static final int CENTRE_ROW = 0;
    public static final int CENTRE_COL = 1;
    public static final int ANGLE = 2;
    public static final int LENGTH = 3;
    public static final int QUALITY = 4;
    public static final int FIELDS = 5;

    public Needles {
        if (table == null || table.cols() != FIELDS) {
            throw new IllegalArgumentException("Needles need " + FIELDS + " columns (centre row, centre column, "
                    + "angle, length, quality), got " + table);
        }
    }

    /** The table of {@code atoms} needles from their fields, one array per field, in atom order. */
    public static Needles of(double[] centreRow, double[] centreCol, double[] angle, double[] length,
            double[] quality) {
        int atoms = centreRow.length;
        double[][] fields = {centreRow, centreCol, angle, length, quality};
        for (double[] field : fields) {
            if (field.length != atoms) {
                throw new IllegalArgumentException(field.length + " values of a field for " + atoms + " atoms");
            }
        }
        float[] data = new float[atoms * FIELDS];
        for (int j = 0; j < atoms; j++) {
            boolean defined = true;
            for (double[] field : fields) {
                defined &= Double.isFinite(field[j]);
            }
            for (int f = 0; defined && f < FIELDS; f++) {
                data[j * FIELDS + f] = (float) fields[f][j];
            }
        }
        return new Needles(new FloatMatrix(atoms, FIELDS, data));
    }

    /** Number of atoms. */
    public int size() {
        return table.rows();
    }

    public double centreRow(int atom) {
        return table.get(atom, CENTRE_ROW);
    }

    public double centreCol(int atom) {
        return table.get(atom, CENTRE_COL);
    }

    public double angleDegrees(int atom) {
        return table.get(atom, ANGLE);
    }

    public double length(int atom) {
        return table.get(atom, LENGTH);
    }

    public double quality(int atom) {
        return table.get(atom, QUALITY);
    }

    /** Whether the atom has a needle at all. */
    public boolean defined(int atom) {
        return quality(atom) > 0 && length(atom) > 0;
    }
}
