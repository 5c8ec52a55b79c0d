package dev.iffleet.fidelity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes world of models/shapes/world.json: palettes, shape classes, sizes, positions, relations,
 * the sign and the caption templates. Geometry is in fractions of the canvas. Maps keep the file's order.
 */
public record World(
        int canvas,
        Map<String, NamedColour> backgrounds,
        Map<String, NamedColour> colours,
        List<Shape> shapes,
        Map<String, Double> sizes,
        Map<String, Point> positions,
        Map<String, Relation> relations,
        List<Point> rowCentres,
        String rowSize,
        ShapeGeometry geometry,
        SignSpec sign,
        double jitter,
        Map<String, String> captionTemplates) {

    /** Where the first- and second-named objects of a two-object caption are placed. */
    public record Relation(Point first, Point second) {}

    /** The numbers the prose of shape_geometry states. */
    public record ShapeGeometry(double starInnerRatio, double ringInnerRatio) {

        /** A shape's area divided by its size squared. */
        public double areaFactor(Shape shape) {
            return switch (shape) {
                case CIRCLE -> Math.PI / 4;
                case SQUARE -> 1;
                case TRIANGLE, DIAMOND -> 0.5;
                // ten triangles between the centre, an outer and an inner vertex, outer radius = size / 2
                case STAR -> 10 * 0.5 * 0.5 * (0.5 * starInnerRatio) * Math.sin(Math.PI / 5);
                case RING -> Math.PI / 4 * (1 - ringInnerRatio * ringInnerRatio);
            };
        }
    }

    /** The sign: a rounded box with 1 to maxDigits digits, dark text on the darkTextSigns colours. */
    public record SignSpec(
            Point centre,
            double width,
            double height,
            double cornerRadius,
            List<String> colours,
            double capHeight,
            int minDigits,
            int maxDigits,
            int maxValue,
            List<String> darkTextSigns) {

        public SignSpec {
            colours = List.copyOf(colours);
            darkTextSigns = List.copyOf(darkTextSigns);
        }

        /** The colour name of the text on a sign of this colour ("black" or "white"). */
        public String textColour(String signColour) {
            return darkTextSigns.contains(signColour) ? "black" : "white";
        }
    }

    public World {
        backgrounds = frozen(backgrounds);
        colours = frozen(colours);
        shapes = List.copyOf(shapes);
        sizes = frozen(sizes);
        positions = frozen(positions);
        relations = frozen(relations);
        rowCentres = List.copyOf(rowCentres);
        captionTemplates = frozen(captionTemplates);
        if (!sizes.containsKey(rowSize)) {
            throw new WorldFormatException("row_of_three size '" + rowSize + "' is not in sizes");
        }
        for (String c : sign.colours()) {
            if (!colours.containsKey(c)) {
                throw new WorldFormatException("sign colour '" + c + "' is not in colors");
            }
        }
        if (!colours.containsKey("black") || !colours.containsKey("white")) {
            throw new WorldFormatException("sign text needs 'black' and 'white' in colors");
        }
    }

    /** Reads world.json. */
    public static World load(Path file) throws IOException {
        return WorldReader.read(file);
    }

    /**
     * The contrast rule: an object (or sign) colour never has the background's name. That also covers
     * yellow on yellow and white/black on white/black, which world.json names separately.
     */
    public boolean contrasts(String colour, String background) {
        return !colour.equals(background);
    }

    /** The least sRGB distance between a background and a colour the contrast rule allows on it. */
    public double weakestContrast() {
        double weakest = Double.POSITIVE_INFINITY;
        for (NamedColour bg : backgrounds.values()) {
            for (NamedColour c : colours.values()) {
                if (contrasts(c.name(), bg.name())) {
                    weakest = Math.min(weakest, c.distance(bg));
                }
            }
        }
        return weakest;
    }

    public NamedColour colour(String name) {
        return lookup(colours, name, "colour");
    }

    public NamedColour background(String name) {
        return lookup(backgrounds, name, "background");
    }

    private static <V> V lookup(Map<String, V> map, String name, String what) {
        V v = map.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no " + what + " '" + name + "' in the world");
        }
        return v;
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
