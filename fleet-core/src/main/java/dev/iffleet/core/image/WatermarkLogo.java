package dev.iffleet.core.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;

/**
 * if-fleet's own mark, drawn as vectors at the size asked for: a translucent slate badge with rounded corners,
 * the letters "IF" built from bars (no font needed, so it renders the same on a headless JVM), and three rising
 * amber steps for the cascade's three stages. Designed on a 62-unit grid, the size of IF's watermark bitmap.
 */
final class WatermarkLogo {

    private static final double GRID = 62.0;
    private static final Color BADGE = new Color(22, 27, 44, 150);
    private static final Color RIM = new Color(255, 255, 255, 110);
    private static final Color GLYPH = new Color(255, 255, 255, 235);
    private static final Color STEPS = new Color(255, 178, 36, 235);

    private WatermarkLogo() {}

    /** The mark as a {@code size x size} straight-alpha ARGB image. */
    static BufferedImage render(int size) {
        BufferedImage logo = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = logo.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale(size / GRID, size / GRID);
            g.setColor(BADGE);
            g.fill(new RoundRectangle2D.Double(0, 0, GRID, GRID, 26, 26));
            g.setColor(RIM);
            g.setStroke(new BasicStroke(2f));
            g.draw(new RoundRectangle2D.Double(1.5, 1.5, GRID - 3, GRID - 3, 23, 23));
            g.setColor(GLYPH);
            // one area per colour, so overlapping bars are not blended twice
            g.fill(bars(13, 11, 7, 28,     // I
                    25, 11, 7, 28,         // F: stem
                    25, 11, 24, 6,         //    top arm
                    25, 22, 18, 6));       //    middle arm
            g.setColor(STEPS);
            g.fill(bars(13, 46, 8, 5,      // 64 px
                    24, 43, 10, 8,         // 256 px
                    37, 39, 12, 12));      // 1024 px
        } finally {
            g.dispose();
        }
        return logo;
    }

    /** The union of rectangles given as x, y, width, height quadruples on the design grid. */
    private static Area bars(double... xywh) {
        Area area = new Area();
        for (int i = 0; i < xywh.length; i += 4) {
            area.add(new Area(new Rectangle2D.Double(xywh[i], xywh[i + 1], xywh[i + 2], xywh[i + 3])));
        }
        return area;
    }
}
