package dev.iffleet.fidelity.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SegmentationTest {

    private static boolean[] mask(String... rows) {
        boolean[] m = new boolean[rows.length * rows[0].length()];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[y].length(); x++) {
                m[y * rows[0].length() + x] = rows[y].charAt(x) == '#';
            }
        }
        return m;
    }

    @Test
    void groupsEightConnectedPixelsLargestFirstAndDropsSpecks() {
        boolean[] m = mask(
                "#.....##",
                ".#....##",
                "......##",
                "...#....");
        Segmentation s = Segmentation.of(m, 8, 4, 2);
        assertEquals(2, s.blobs().size());
        assertEquals(6, s.blobs().get(0).area());
        assertEquals(2, s.blobs().get(1).area());
        assertEquals(0, s.label(3, 3));
        assertEquals(s.blobs().get(1).label(), s.label(1, 1));
        Blob big = s.blobs().get(0);
        assertArrayEquals(new int[] {6, 0, 7, 2}, new int[] {big.minX(), big.minY(), big.maxX(), big.maxY()});
    }

    @Test
    void findsHolesButNotBays() {
        boolean[] ring = mask(
                "#####",
                "#...#",
                "#####");
        assertEquals(3, Masks.count(Masks.enclosed(ring, 5, 3)));
        boolean[] bay = mask(
                "#####",
                "#....",
                "#####");
        assertEquals(0, Masks.count(Masks.enclosed(bay, 5, 3)));
    }

    @Test
    void erodesBySquareNeighbourhoods() {
        boolean[] block = mask(
                ".....",
                ".###.",
                ".###.",
                ".###.",
                ".....");
        boolean[] eroded = Masks.erode(block, 5, 5, 1);
        assertEquals(1, Masks.count(eroded));
        assertTrue(eroded[2 * 5 + 2]);
    }
}
