package dev.iffleet.fidelity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random captions of the shapes world, drawn as world.json's generation rules say: the contrast rule,
 * distinct (colour, shape) pairs, sign text 0..999 without leading zeros. Filled into the file's templates.
 */
final class CaptionSampler {

    private final World world;
    private final Random random;

    CaptionSampler(World world, Random random) {
        this.world = world;
        this.random = random;
    }

    String next() {
        return next(Form.values()[random.nextInt(Form.values().length)]);
    }

    String next(Form form) {
        String background = pick(new ArrayList<>(world.backgrounds().keySet()));
        String template = world.captionTemplates().get(form.key()).replace("{background}", background);
        if (form == Form.SIGN) {
            List<String> colours = new ArrayList<>(world.sign().colours());
            colours.remove(background);
            return template.replace("{color}", pick(colours))
                    .replace("{text}", signText());
        }
        int count = form == Form.ONE ? 1 : form == Form.TWO ? 2 : 3;
        Set<String> used = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String colour;
            String shape;
            do {
                colour = pick(new ArrayList<>(world.colours().keySet()));
                shape = pick(world.shapes()).word();
            } while (!world.contrasts(colour, background) || !used.add(colour + " " + shape));
            template = first(template, "{color}", colour);
            template = first(template, "{shape}", shape);
            template = first(template, "{size}", pick(new ArrayList<>(world.sizes().keySet())));
        }
        return template.replace("{position}", pick(new ArrayList<>(world.positions().keySet())))
                .replace("{relation}", pick(new ArrayList<>(world.relations().keySet())));
    }

    /** A number with 1 to 3 digits, each length equally likely (uniform values would be 90 % three-digit). */
    private String signText() {
        int digits = 1 + random.nextInt(world.sign().maxDigits());
        int low = digits == 1 ? 0 : (int) Math.pow(10, digits - 1);
        return String.valueOf(low + random.nextInt((int) Math.pow(10, digits) - low));
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String first(String text, String slot, String word) {
        int at = text.indexOf(slot);
        return at < 0 ? text : text.substring(0, at) + word + text.substring(at + slot.length());
    }
}
