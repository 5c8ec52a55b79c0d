package dev.iffleet.fidelity;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Draws a {@link Scene} as world.json specifies it, anti-aliased, at any square size. Each object's
 * centre moves by a uniform jitter of up to positional_jitter in x, then y, drawn from the given
 * Random in object order; the sign is not jittered. It is the ground truth the analyser is tested on.
 */
public final class SceneRenderer {

    private static final String FONT_FAMILY = "DejaVu Sans";

    private final World world;

    public SceneRenderer(World world) {
        this.world = world;
    }

    public BufferedImage render(Scene scene, int size, Random random) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(colour(scene.background()));
            g.fillRect(0, 0, size, size);
            double j = world.jitter();
            for (Scene.SceneObject o : scene.objects()) {
                double cx = (o.centre().x() + (2 * random.nextDouble() - 1) * j) * size;
                double cy = (o.centre().y() + (2 * random.nextDouble() - 1) * j) * size;
                g.setColor(colour(o.colour()));
                g.fill(outline(o.shape(), cx, cy, o.size() * size));
            }
            scene.sign().ifPresent(sign -> drawSign(g, sign, size));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The outline of a shape of the given size (pixels) centred at (cx, cy), per shape_geometry. */
    java.awt.Shape outline(Shape shape, double cx, double cy, double s) {
        double h = s / 2;
        return switch (shape) {
            case CIRCLE -> new Ellipse2D.Double(cx - h, cy - h, s, s);
            case SQUARE -> new Rectangle2D.Double(cx - h, cy - h, s, s);
            case TRIANGLE -> polygon(new double[] {cx, cx + h, cx - h}, new double[] {cy - h, cy + h, cy + h});
            case DIAMOND -> polygon(new double[] {cx, cx + h, cx, cx - h}, new double[] {cy - h, cy, cy + h, cy});
            case STAR -> star(cx, cy, h, h * world.geometry().starInnerRatio());
            case RING -> {
                double inner = s * world.geometry().ringInnerRatio();
                Area ring = new Area(new Ellipse2D.Double(cx - h, cy - h, s, s));
                ring.subtract(new Area(new Ellipse2D.Double(cx - inner / 2, cy - inner / 2, inner, inner)));
                yield ring;
            }
        };
    }

    private static java.awt.Shape star(double cx, double cy, double outer, double inner) {
        double[] xs = new double[10];
        double[] ys = new double[10];
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? outer : inner;
            double a = -Math.PI / 2 + i * Math.PI / 5;
            xs[i] = cx + r * Math.cos(a);
            ys[i] = cy + r * Math.sin(a);
        }
        return polygon(xs, ys);
    }

    private static java.awt.Shape polygon(double[] xs, double[] ys) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        p.closePath();
        return p;
    }

    private void drawSign(Graphics2D g, Scene.Sign sign, int size) {
        World.SignSpec spec = world.sign();
        double w = spec.width() * size;
        double h = spec.height() * size;
        double cx = spec.centre().x() * size;
        double cy = spec.centre().y() * size;
        double arc = 2 * spec.cornerRadius() * size;
        g.setColor(colour(sign.colour()));
        g.fill(new RoundRectangle2D.Double(cx - w / 2, cy - h / 2, w, h, arc, arc));

        FontRenderContext frc = new FontRenderContext(null, true, true);
        Font reference = new Font(FONT_FAMILY, Font.BOLD, 100);
        double capHeight = reference.createGlyphVector(frc, "H").getVisualBounds().getHeight();
        Font font = reference.deriveFont((float) (100 * spec.capHeight() * size / capHeight));
        GlyphVector text = font.createGlyphVector(frc, sign.text());
        Rectangle2D bounds = text.getVisualBounds();
        g.setColor(colour(world.colour(spec.textColour(sign.colour().name()))));
        g.fill(text.getOutline((float) (cx - bounds.getCenterX()), (float) (cy - bounds.getCenterY())));
    }

    private static Color colour(NamedColour c) {
        return new Color(c.r(), c.g(), c.b());
    }
}
