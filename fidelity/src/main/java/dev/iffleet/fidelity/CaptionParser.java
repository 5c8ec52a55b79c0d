package dev.iffleet.fidelity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses a caption into a {@link Scene}. The grammar is world.json's templates: each {slot} becomes a
 * group that accepts exactly the world's words for it, so a new colour or position in the file is
 * understood without code changes. Case, repeated spaces and one final full stop are ignored.
 */
public final class CaptionParser {

    private static final Pattern SLOT = Pattern.compile("\\{([a-z]+)}");

    private final World world;
    private final Map<Form, Pattern> patterns = new EnumMap<>(Form.class);

    public CaptionParser(World world) {
        this.world = world;
        for (Form form : Form.values()) {
            String template = world.captionTemplates().get(form.key());
            if (template == null) {
                throw new WorldFormatException("world.json has no caption template '" + form.key() + "'");
            }
            patterns.put(form, compile(template, form));
        }
    }

    public Scene parse(String caption) throws CaptionException {
        String text = normalise(caption);
        for (Map.Entry<Form, Pattern> e : patterns.entrySet()) {
            Matcher m = e.getValue().matcher(text);
            if (m.matches()) {
                return build(e.getKey(), text, m);
            }
        }
        throw new CaptionException(CaptionException.Reason.NO_MATCHING_FORM, text, "no caption template matches");
    }

    private Scene build(Form form, String caption, Matcher m) throws CaptionException {
        NamedColour background = world.background(m.group("background1"));
        List<Scene.SceneObject> objects = new ArrayList<>();
        String placement = "";
        switch (form) {
            case ONE -> {
                placement = m.group("position1");
                objects.add(object(m, 1, m.group("size1"), world.positions().get(placement)));
            }
            case TWO -> {
                placement = m.group("relation1");
                World.Relation relation = world.relations().get(placement);
                objects.add(object(m, 1, m.group("size1"), relation.first()));
                objects.add(object(m, 2, m.group("size2"), relation.second()));
            }
            case THREE -> {
                for (int i = 0; i < world.rowCentres().size(); i++) {
                    objects.add(object(m, i + 1, world.rowSize(), world.rowCentres().get(i)));
                }
            }
            case SIGN -> {
                return signScene(caption, background, m);
            }
        }
        Set<String> seen = new HashSet<>();
        for (Scene.SceneObject o : objects) {
            requireContrast(caption, o.colour().name(), background.name());
            if (!seen.add(o.colour().name() + " " + o.shape().word())) {
                throw new CaptionException(CaptionException.Reason.INDISTINCT_OBJECTS, caption,
                        "two objects are both " + o.colour().name() + " " + o.shape().word());
            }
        }
        return new Scene(caption, form, background, objects, placement, Optional.empty());
    }

    private Scene signScene(String caption, NamedColour background, Matcher m) throws CaptionException {
        String colour = m.group("color1");
        String text = m.group("text1");
        World.SignSpec spec = world.sign();
        if (text.length() > spec.maxDigits() || text.length() < spec.minDigits()
                || (text.length() > 1 && text.startsWith("0")) || Integer.parseInt(text) > spec.maxValue()) {
            throw new CaptionException(CaptionException.Reason.BAD_SIGN_TEXT, caption,
                    "'" + text + "' is not an integer 0.." + spec.maxValue() + " without leading zeros");
        }
        requireContrast(caption, colour, background.name());
        return new Scene(caption, Form.SIGN, background, List.of(), "",
                Optional.of(new Scene.Sign(world.colour(colour), text)));
    }

    private Scene.SceneObject object(Matcher m, int n, String sizeName, Point centre) {
        return new Scene.SceneObject(world.colour(m.group("color" + n)), Shape.of(m.group("shape" + n)), sizeName,
                world.sizes().get(sizeName), centre);
    }

    private void requireContrast(String caption, String colour, String background) throws CaptionException {
        if (!world.contrasts(colour, background)) {
            throw new CaptionException(CaptionException.Reason.LOW_CONTRAST, caption,
                    colour + " on a " + background + " background");
        }
    }

    /** A template as a regular expression: the n-th {slot} of a kind becomes the group "slotn". */
    private Pattern compile(String template, Form form) {
        StringBuilder regex = new StringBuilder();
        Map<String, Integer> counts = new HashMap<>();
        Matcher slot = SLOT.matcher(template);
        int last = 0;
        while (slot.find()) {
            regex.append(Pattern.quote(template.substring(last, slot.start())));
            String kind = slot.group(1);
            int n = counts.merge(kind, 1, Integer::sum);
            regex.append("(?<").append(kind).append(n).append('>').append(alternatives(kind, form)).append(')');
            last = slot.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return Pattern.compile(regex.toString());
    }

    private String alternatives(String kind, Form form) {
        return switch (kind) {
            case "size" -> words(world.sizes().keySet());
            case "color" -> words(form == Form.SIGN ? world.sign().colours() : world.colours().keySet());
            case "shape" -> words(world.shapes().stream().map(Shape::word).collect(Collectors.toList()));
            case "position" -> words(world.positions().keySet());
            case "relation" -> words(world.relations().keySet());
            case "background" -> words(world.backgrounds().keySet());
            case "text" -> "[0-9]+";
            default -> throw new WorldFormatException("caption slot {" + kind + "} is unknown to the parser");
        };
    }

    /** Longest first, so that no word is cut short by a shorter one it starts with. */
    private static String words(Collection<String> words) {
        return words.stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|"));
    }

    static String normalise(String caption) {
        String text = caption.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
