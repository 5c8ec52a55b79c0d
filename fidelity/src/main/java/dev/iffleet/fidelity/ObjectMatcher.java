package dev.iffleet.fidelity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Pairs the caption's objects with observed blobs and checks each pair. The pairing maximises how many
 * colours, shapes and sizes agree and never looks at positions, so a swapped relation or row order is
 * caught by the position checks instead of being paired away.
 */
final class ObjectMatcher {

    /** Least distance (canvas fractions) along the relation's direction between two related objects. */
    static final double MIN_SEPARATION = 0.1;

    private final World world;

    ObjectMatcher(World world) {
        this.world = world;
    }

    List<Check> match(Scene scene, List<ObservedObject> observed, int blobCount) {
        List<Scene.SceneObject> stated = scene.objects();
        List<Check> checks = new ArrayList<>();
        checks.add(Check.of(CheckKind.OBJECT_COUNT, -1, String.valueOf(stated.size()), String.valueOf(blobCount)));
        int[] pairing = bestPairing(stated, observed);
        for (int i = 0; i < stated.size(); i++) {
            Scene.SceneObject s = stated.get(i);
            boolean found = pairing[i] >= 0;
            checks.add(Check.judged(CheckKind.FOUND, i, found, s.describe(), found ? "a blob" : "none left"));
            if (!found) {
                checks.add(Check.skipped(CheckKind.COLOUR, i, s.colour().name()));
                checks.add(Check.skipped(CheckKind.SHAPE, i, s.shape().word()));
                checks.add(Check.skipped(CheckKind.SIZE, i, s.sizeName()));
                continue;
            }
            ObservedObject o = observed.get(pairing[i]);
            checks.add(Check.of(CheckKind.COLOUR, i, s.colour().name(), o.colour().name()));
            checks.add(Check.of(CheckKind.SHAPE, i, s.shape().word(), o.shape().word()));
            checks.add(Check.of(CheckKind.SIZE, i, s.sizeName(), o.sizeName()));
            if (scene.form() == Form.ONE) {
                checks.add(Check.of(CheckKind.POSITION, i, scene.placement(), nearest(world.positions(), o.centre())));
            } else if (scene.form() == Form.THREE) {
                checks.add(Check.of(CheckKind.POSITION, i, slot(i), slotOf(o.centre())));
            }
        }
        if (scene.form() == Form.TWO) {
            checks.add(relation(scene.placement(), pairing, observed));
        }
        return checks;
    }

    private Check relation(String stated, int[] pairing, List<ObservedObject> observed) {
        if (pairing[0] < 0 || pairing[1] < 0) {
            return Check.skipped(CheckKind.RELATION, -1, stated);
        }
        Point offset = observed.get(pairing[0]).centre().minus(observed.get(pairing[1]).centre());
        String best = "";
        double bestAlong = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, World.Relation> e : world.relations().entrySet()) {
            Point direction = e.getValue().first().minus(e.getValue().second());
            double along = (offset.x() * direction.x() + offset.y() * direction.y()) / Math.hypot(direction.x(),
                    direction.y());
            if (along > bestAlong) {
                bestAlong = along;
                best = e.getKey();
            }
        }
        return Check.of(CheckKind.RELATION, -1, stated, bestAlong >= MIN_SEPARATION ? best : "too close");
    }

    private String slotOf(Point centre) {
        int best = 0;
        for (int k = 1; k < world.rowCentres().size(); k++) {
            if (centre.distance(world.rowCentres().get(k)) < centre.distance(world.rowCentres().get(best))) {
                best = k;
            }
        }
        return slot(best);
    }

    private static String slot(int index) {
        return "slot " + (index + 1);
    }

    private static String nearest(Map<String, Point> places, Point centre) {
        return places.entrySet().stream()
                .min((a, b) -> Double.compare(centre.distance(a.getValue()), centre.distance(b.getValue())))
                .map(Map.Entry::getKey)
                .orElseThrow();
    }

    /**
     * For each stated object, the index of its observed blob or -1: the injective pairing with the most
     * agreeing attributes (a paired object counts 1 more than an unpaired one, so every blob that can be
     * paired is). Ties keep the first pairing found, which prefers larger blobs.
     */
    static int[] bestPairing(List<Scene.SceneObject> stated, List<ObservedObject> observed) {
        int[] best = new int[stated.size()];
        Arrays.fill(best, -1);
        search(stated, observed, 0, new int[stated.size()], new boolean[observed.size()], 0, best,
                new int[] {-1});
        return best;
    }

    private static void search(List<Scene.SceneObject> stated, List<ObservedObject> observed, int i, int[] current,
            boolean[] used, int score, int[] best, int[] bestScore) {
        if (i == stated.size()) {
            if (score > bestScore[0]) {
                bestScore[0] = score;
                System.arraycopy(current, 0, best, 0, current.length);
            }
            return;
        }
        for (int k = 0; k < observed.size(); k++) {
            if (!used[k]) {
                used[k] = true;
                current[i] = k;
                search(stated, observed, i + 1, current, used, score + 1 + observed.get(k).agreement(stated.get(i)),
                        best, bestScore);
                used[k] = false;
            }
        }
        current[i] = -1;
        search(stated, observed, i + 1, current, used, score, best, bestScore);
    }
}
