package dev.iffleet.fidelity.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.fidelity.Shape;
import org.junit.jupiter.api.Test;

class ShapeClassifierTest {

    private static ShapeFeatures features(double hole, double centre, double h3, double h4, double h4cos, double h5) {
        return new ShapeFeatures(0.05, 0.5, 0.5, 0.2, 0.2, hole, centre, 0.8, h3, h4, h4cos, h5);
    }

    @Test
    void aHoleOrAnUncoveredCentreMakesARing() {
        assertEquals(Shape.RING, ShapeClassifier.classify(features(0.3, 0, 0, 0, 0, 0)));
        assertEquals(Shape.RING, ShapeClassifier.classify(features(0.05, 0.3, 0, 0, 0, 0)));
    }

    @Test
    void theStrongestHarmonicNamesTheShape() {
        assertEquals(Shape.CIRCLE, ShapeClassifier.classify(features(0, 1, 0.005, 0.004, -0.004, 0.003)));
        assertEquals(Shape.TRIANGLE, ShapeClassifier.classify(features(0, 1, 0.13, 0.007, -0.007, 0.02)));
        assertEquals(Shape.STAR, ShapeClassifier.classify(features(0, 1, 0.01, 0.005, 0.005, 0.15)));
    }

    @Test
    void theFourFoldPhaseTellsSquareFromDiamond() {
        assertEquals(Shape.SQUARE, ShapeClassifier.classify(features(0, 1, 0, 0.068, -0.068, 0)));
        assertEquals(Shape.DIAMOND, ShapeClassifier.classify(features(0, 1, 0, 0.068, 0.068, 0)));
    }
}
