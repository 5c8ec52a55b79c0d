package dev.iffleet.fidelity;

import java.util.List;
import java.util.Optional;

/**
 * What a caption asks for: the background, the objects with their canonical (unjittered) centres, the
 * stated placement (a position for {@link Form#ONE}, a relation for {@link Form#TWO}, empty otherwise)
 * and, for {@link Form#SIGN}, the sign.
 */
public record Scene(
        String caption,
        Form form,
        NamedColour background,
        List<SceneObject> objects,
        String placement,
        Optional<Sign> sign) {

    /** One shape of the scene; size is the fraction of the canvas that sizeName stands for. */
    public record SceneObject(NamedColour colour, Shape shape, String sizeName, double size, Point centre) {

        public SceneObject withColour(NamedColour other) {
            return new SceneObject(other, shape, sizeName, size, centre);
        }

        public SceneObject withShape(Shape other) {
            return new SceneObject(colour, other, sizeName, size, centre);
        }

        public SceneObject withSize(String otherName, double otherSize) {
            return new SceneObject(colour, shape, otherName, otherSize, centre);
        }

        public SceneObject at(Point other) {
            return new SceneObject(colour, shape, sizeName, size, other);
        }

        /** "small red circle". */
        public String describe() {
            return sizeName + " " + colour.name() + " " + shape.word();
        }
    }

    /** A sign of a colour saying text (decimal digits). */
    public record Sign(NamedColour colour, String text) {}

    public Scene {
        objects = List.copyOf(objects);
    }

    public Scene withBackground(NamedColour other) {
        return new Scene(caption, form, other, objects, placement, sign);
    }

    public Scene withObjects(List<SceneObject> other) {
        return new Scene(caption, form, background, other, placement, sign);
    }

    public Scene withSign(Sign other) {
        return new Scene(caption, form, background, objects, placement, Optional.of(other));
    }
}
