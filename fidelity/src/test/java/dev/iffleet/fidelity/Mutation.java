package dev.iffleet.fidelity;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Ways an image can contradict its caption, for testing that the analyser notices: each turns the
 * caption's scene into the scene an image actually shows (still a valid scene of the world), and names
 * the check that should catch it.
 */
enum Mutation {
    COLOUR(CheckKind.COLOUR),
    SHAPE(CheckKind.SHAPE),
    SIZE(CheckKind.SIZE),
    PLACEMENT(null),
    BACKGROUND(CheckKind.BACKGROUND),
    MISSING_OBJECT(CheckKind.FOUND),
    SIGN_COLOUR(CheckKind.SIGN_COLOUR),
    SIGN_TEXT_LENGTH(CheckKind.SIGN_TEXT_LENGTH);

    private final CheckKind catcher;

    Mutation(CheckKind catcher) {
        this.catcher = catcher;
    }

    /** The check that should fail; PLACEMENT is caught by POSITION or RELATION depending on the form. */
    CheckKind catcher(Form form) {
        return this != PLACEMENT ? catcher : form == Form.TWO ? CheckKind.RELATION : CheckKind.POSITION;
    }

    static List<Mutation> applicable(Scene scene) {
        if (scene.form() == Form.SIGN) {
            return List.of(BACKGROUND, SIGN_COLOUR, SIGN_TEXT_LENGTH);
        }
        List<Mutation> m = new ArrayList<>(List.of(COLOUR, SHAPE, PLACEMENT, BACKGROUND));
        if (scene.form() != Form.THREE) {
            m.add(SIZE);
        }
        if (scene.form() != Form.ONE) {
            m.add(MISSING_OBJECT);
        }
        return m;
    }

    /** The scene an image with this error shows. */
    Scene apply(Scene scene, World world, Random random) {
        List<Scene.SceneObject> objects = new ArrayList<>(scene.objects());
        int i = objects.isEmpty() ? 0 : random.nextInt(objects.size());
        switch (this) {
            case COLOUR -> {
                Scene.SceneObject o = objects.get(i);
                objects.set(i, o.withColour(world.colour(pick(random, world.colours().keySet().stream()
                        .filter(c -> !c.equals(o.colour().name()) && world.contrasts(c, scene.background().name())
                                && distinct(objects, c, o.shape()))
                        .toList()))));
            }
            case SHAPE -> {
                Scene.SceneObject o = objects.get(i);
                objects.set(i, o.withShape(pick(random, world.shapes().stream()
                        .filter(s -> s != o.shape() && distinct(objects, o.colour().name(), s)).toList())));
            }
            case SIZE -> {
                Scene.SceneObject o = objects.get(i);
                String size = pick(random,
                        world.sizes().keySet().stream().filter(s -> !s.equals(o.sizeName())).toList());
                objects.set(i, o.withSize(size, world.sizes().get(size)));
            }
            case PLACEMENT -> placement(scene, objects, world, random, i);
            case BACKGROUND -> {
                return scene.withBackground(world.background(pick(random, world.backgrounds().keySet().stream()
                        .filter(b -> !b.equals(scene.background().name()) && contrasts(scene, world, b)).toList())));
            }
            case MISSING_OBJECT -> objects.remove(i);
            case SIGN_COLOUR -> {
                Scene.Sign sign = scene.sign().orElseThrow();
                return scene.withSign(new Scene.Sign(world.colour(pick(random, world.sign().colours().stream()
                        .filter(c -> !c.equals(sign.colour().name()) && world.contrasts(c, scene.background().name()))
                        .toList())), sign.text()));
            }
            case SIGN_TEXT_LENGTH -> {
                Scene.Sign sign = scene.sign().orElseThrow();
                // one digit more or one fewer, still without a leading zero
                String text = sign.text().length() == 1 ? sign.text() + "1"
                        : sign.text().substring(1).replaceFirst("^0", "1");
                return scene.withSign(new Scene.Sign(sign.colour(), text));
            }
        }
        return scene.withObjects(objects);
    }

    /** Another position for a lone object; the two of a pair swapped; two of a row swapped. */
    private static void placement(Scene scene, List<Scene.SceneObject> objects, World world, Random random, int i) {
        if (scene.form() == Form.ONE) {
            String other = pick(random, world.positions().keySet().stream()
                    .filter(p -> !p.equals(scene.placement())).toList());
            objects.set(0, objects.get(0).at(world.positions().get(other)));
            return;
        }
        int j = (i + 1 + random.nextInt(objects.size() - 1)) % objects.size();
        Point a = objects.get(i).centre();
        objects.set(i, objects.get(i).at(objects.get(j).centre()));
        objects.set(j, objects.get(j).at(a));
    }

    private static boolean distinct(List<Scene.SceneObject> objects, String colour, Shape shape) {
        return objects.stream().noneMatch(o -> o.colour().name().equals(colour) && o.shape() == shape);
    }

    private static boolean contrasts(Scene scene, World world, String background) {
        return scene.objects().stream().allMatch(o -> world.contrasts(o.colour().name(), background))
                && scene.sign().map(s -> world.contrasts(s.colour().name(), background)).orElse(true);
    }

    private static <T> T pick(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    static Mutation random(Scene scene, Random random) {
        return pick(random, applicable(scene));
    }
}
