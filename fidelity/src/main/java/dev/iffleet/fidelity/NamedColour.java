package dev.iffleet.fidelity;

import java.util.Collection;

/** One palette entry of world.json: a colour name and its sRGB value (0-255). */
public record NamedColour(String name, int r, int g, int b) {

    /** Euclidean distance in sRGB from this entry to the colour (r, g, b). */
    public double distance(double red, double green, double blue) {
        double dr = r - red;
        double dg = g - green;
        double db = b - blue;
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    public double distance(NamedColour other) {
        return distance(other.r, other.g, other.b);
    }

    /** The palette entry nearest to (r, g, b). */
    public static NamedColour nearest(Collection<NamedColour> palette, double red, double green, double blue) {
        NamedColour best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (NamedColour c : palette) {
            double d = c.distance(red, green, blue);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("empty palette");
        }
        return best;
    }

    public int rgb() {
        return (r << 16) | (g << 8) | b;
    }
}
