package dev.iffleet.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns world.json into a {@link World}. Some numbers live in prose fields (the sign box, the star's
 * inner radius); they are read with patterns that fail loudly when the prose changes, so the Java
 * side never silently drifts from the file the Python renderer reads.
 */
final class WorldReader {

    static final String FORMAT = "if-fleet-shapes-world/1";
    private static final String NUMBER = "([0-9]*\\.?[0-9]+)";

    private WorldReader() {}

    static World read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        String format = text(root, "format");
        if (!FORMAT.equals(format)) {
            throw new WorldFormatException("format is '" + format + "', this analyser reads " + FORMAT);
        }
        JsonNode sign = field(root, "sign");
        JsonNode geometry = field(root, "shape_geometry");
        JsonNode row = field(root, "row_of_three");
        return new World(
                field(root, "canvas").asInt(),
                palette(field(root, "backgrounds")),
                palette(field(root, "colors")),
                shapes(field(root, "shapes")),
                sizes(field(root, "sizes")),
                points(field(root, "positions")),
                relations(field(root, "relations")),
                pointList(field(row, "centres")),
                text(row, "size"),
                new World.ShapeGeometry(
                        number(text(geometry, "star"), "inner radius = " + NUMBER + " \\* outer", 1),
                        number(text(geometry, "ring"), "inner diameter = " + NUMBER + " \\* size", 1)),
                sign(sign),
                field(root, "positional_jitter").asDouble(),
                templates(field(root, "captions")));
    }

    private static World.SignSpec sign(JsonNode sign) {
        String box = text(sign, "box");
        String boxPattern = "centred at \\(" + NUMBER + ", " + NUMBER + "\\), width " + NUMBER + ", height "
                + NUMBER + ", corner radius " + NUMBER;
        String text = text(sign, "text");
        String digits = "([0-9]+) to ([0-9]+) decimal digits";
        List<String> colours = new ArrayList<>();
        field(sign, "colors").forEach(c -> colours.add(c.asText()));
        return new World.SignSpec(
                new Point(number(box, boxPattern, 1), number(box, boxPattern, 2)),
                number(box, boxPattern, 3),
                number(box, boxPattern, 4),
                number(box, boxPattern, 5),
                colours,
                number(text, "cap height " + NUMBER, 1),
                (int) number(text, digits, 1),
                (int) number(text, digits, 2),
                (int) number(text(sign, "text_values"), "integers 0\\.\\.([0-9]+)", 1),
                Arrays.asList(match(text, "black on ([a-z/]+) signs").group(1).split("/")));
    }

    private static Map<String, NamedColour> palette(JsonNode node) {
        Map<String, NamedColour> palette = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            JsonNode rgb = e.getValue();
            if (!rgb.isArray() || rgb.size() != 3) {
                throw new WorldFormatException("colour '" + e.getKey() + "' is not [r, g, b]");
            }
            palette.put(e.getKey(), new NamedColour(e.getKey(), rgb.get(0).asInt(), rgb.get(1).asInt(),
                    rgb.get(2).asInt()));
        });
        return palette;
    }

    private static List<Shape> shapes(JsonNode node) {
        List<Shape> shapes = new ArrayList<>();
        for (JsonNode s : node) {
            try {
                shapes.add(Shape.of(s.asText()));
            } catch (IllegalArgumentException e) {
                throw new WorldFormatException("shape '" + s.asText() + "' has no classifier in the analyser");
            }
        }
        return shapes;
    }

    private static Map<String, Double> sizes(JsonNode node) {
        Map<String, Double> sizes = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> sizes.put(e.getKey(), e.getValue().asDouble()));
        return sizes;
    }

    private static Map<String, Point> points(JsonNode node) {
        Map<String, Point> points = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> points.put(e.getKey(), point(e.getValue())));
        return points;
    }

    private static Map<String, World.Relation> relations(JsonNode node) {
        Map<String, World.Relation> relations = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> relations.put(e.getKey(),
                new World.Relation(point(field(e.getValue(), "first")), point(field(e.getValue(), "second")))));
        return relations;
    }

    private static List<Point> pointList(JsonNode node) {
        List<Point> points = new ArrayList<>();
        node.forEach(p -> points.add(point(p)));
        return points;
    }

    private static Point point(JsonNode xy) {
        if (!xy.isArray() || xy.size() != 2) {
            throw new WorldFormatException("expected [x, y], found " + xy);
        }
        return new Point(xy.get(0).asDouble(), xy.get(1).asDouble());
    }

    /** Caption templates by form; "notes" is prose for people. */
    private static Map<String, String> templates(JsonNode node) {
        Map<String, String> templates = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("notes")) {
                templates.put(e.getKey(), e.getValue().asText());
            }
        });
        return templates;
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
            throw new WorldFormatException("world.json has no '" + name + "'");
        }
        return child;
    }

    private static String text(JsonNode node, String name) {
        return field(node, name).asText();
    }

    private static double number(String prose, String pattern, int group) {
        return Double.parseDouble(match(prose, pattern).group(group));
    }

    private static Matcher match(String prose, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(prose);
        if (!m.find()) {
            throw new WorldFormatException("'" + prose + "' no longer reads as /" + pattern + "/");
        }
        return m;
    }
}
