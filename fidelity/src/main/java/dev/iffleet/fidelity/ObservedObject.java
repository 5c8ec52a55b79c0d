package dev.iffleet.fidelity;

import dev.iffleet.fidelity.image.ShapeFeatures;

/** A blob as the analyser reads it: nearest palette colour, shape class, nearest size name, features. */
record ObservedObject(NamedColour colour, Shape shape, String sizeName, ShapeFeatures features) {

    Point centre() {
        return new Point(features.cx(), features.cy());
    }

    /** How many of colour, shape and size agree with a stated object. */
    int agreement(Scene.SceneObject stated) {
        return (colour.name().equals(stated.colour().name()) ? 1 : 0) + (shape == stated.shape() ? 1 : 0)
                + (sizeName.equals(stated.sizeName()) ? 1 : 0);
    }
}
