package dev.iffleet.fidelity.image;

import dev.iffleet.fidelity.Shape;

/**
 * Names the shape class of measured features: a ring encloses a hole, or at least leaves its centre
 * mostly uncovered when blur and noise have closed the hole; otherwise the strongest of the
 * 3-, 4- and 5-fold harmonics of the radial profile picks triangle, square/diamond or star, and a
 * profile with none of them is a circle.
 */
public final class ShapeClassifier {

    /** Share of enclosed background above which a blob is a ring (a ring's is 0.55^2 = 0.30). */
    static final double RING_HOLE = 0.12;
    /** Coverage at the centroid below which a blob is a ring (filled shapes show 1). */
    static final double RING_CENTRE = 0.6;
    /**
     * Harmonic strength below which a profile counts as round. Clean renders: circles under 0.005,
     * squares and diamonds 0.065-0.07, stars 0.14-0.18; with noise and blur at 64 px these come closer.
     */
    static final double ROUND = 0.02;

    private ShapeClassifier() {}

    public static Shape classify(ShapeFeatures f) {
        if (f.holeFraction() > RING_HOLE || f.centreCoverage() < RING_CENTRE) {
            return Shape.RING;
        }
        double strongest = Math.max(f.h3(), Math.max(f.h4(), f.h5()));
        if (strongest < ROUND) {
            return Shape.CIRCLE;
        }
        if (strongest == f.h3()) {
            return Shape.TRIANGLE;
        }
        if (strongest == f.h5()) {
            return Shape.STAR;
        }
        return f.h4cos() < 0 ? Shape.SQUARE : Shape.DIAMOND;
    }
}
