package dev.iffleet.fidelity;

/** A point in fractions of the square canvas (x to the right, y down), as world.json states geometry. */
public record Point(double x, double y) {

    public double distance(Point other) {
        return Math.hypot(x - other.x, y - other.y);
    }

    public Point minus(Point other) {
        return new Point(x - other.x, y - other.y);
    }
}
