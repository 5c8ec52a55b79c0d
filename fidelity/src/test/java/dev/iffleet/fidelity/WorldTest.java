package dev.iffleet.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldTest {

    private final World world = TestWorld.get();

    @TempDir
    Path tmp;

    @Test
    void readsPalettesShapesAndPlaces() {
        assertEquals(1024, world.canvas());
        assertEquals(List.of("white", "black", "gray", "blue", "green", "yellow"),
                List.copyOf(world.backgrounds().keySet()));
        assertEquals(new NamedColour("orange", 250, 140, 25), world.colour("orange"));
        assertEquals(new NamedColour("blue", 30, 60, 170), world.background("blue"));
        assertEquals(List.of(Shape.values()), world.shapes());
        assertEquals(0.2, world.sizes().get("small"));
        assertEquals(0.36, world.sizes().get("large"));
        assertEquals(new Point(0.27, 0.5), world.positions().get("on the left"));
        assertEquals(new World.Relation(new Point(0.5, 0.28), new Point(0.5, 0.72)), world.relations().get("above"));
        assertEquals(List.of(new Point(0.2, 0.5), new Point(0.5, 0.5), new Point(0.8, 0.5)), world.rowCentres());
        assertEquals("small", world.rowSize());
        assertEquals(0.03, world.jitter());
        assertEquals(List.of("one", "two", "three", "sign"), List.copyOf(world.captionTemplates().keySet()));
    }

    @Test
    void readsTheNumbersInTheProse() {
        assertEquals(new World.ShapeGeometry(0.4, 0.55), world.geometry());
        World.SignSpec sign = world.sign();
        assertEquals(new Point(0.5, 0.5), sign.centre());
        assertEquals(0.7, sign.width());
        assertEquals(0.4, sign.height());
        assertEquals(0.04, sign.cornerRadius());
        assertEquals(0.22, sign.capHeight());
        assertEquals(1, sign.minDigits());
        assertEquals(3, sign.maxDigits());
        assertEquals(999, sign.maxValue());
        assertEquals(List.of("white", "yellow", "red", "blue", "green"), sign.colours());
        assertEquals("black", sign.textColour("yellow"));
        assertEquals("white", sign.textColour("red"));
    }

    @Test
    void everyAllowedColourStandsOutFromItsBackground() {
        // the analyser's foreground threshold is a share of the weakest allowed contrast (orange on yellow)
        assertEquals(68.4, world.weakestContrast(), 0.1);
        assertFalse(world.contrasts("yellow", "yellow"));
        assertFalse(world.contrasts("white", "white"));
        assertTrue(world.contrasts("white", "black"));
    }

    @Test
    void refusesAnotherFormat() throws IOException {
        assertRefused("if-fleet-shapes-world/1", "if-fleet-shapes-world/2", "if-fleet-shapes-world/2");
    }

    @Test
    void failsLoudlyWhenTheProseNoLongerReads() throws IOException {
        assertRefused("width 0.7, height 0.4", "0.7 wide, 0.4 high", "0.7 wide");
    }

    @Test
    void refusesAShapeTheAnalyserCannotClassify() throws IOException {
        assertRefused("\"diamond\"]", "\"diamond\", \"hexagon\"]", "hexagon");
    }

    @Test
    void followsTheFileWhenANumberChanges() throws IOException {
        World edited = World.load(edited("\"large\": 0.36", "\"large\": 0.4"));
        assertEquals(0.4, edited.sizes().get("large"));
    }

    private void assertRefused(String from, String to, String named) throws IOException {
        Path file = edited(from, to);
        WorldFormatException e = assertThrows(WorldFormatException.class, () -> World.load(file));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    private Path edited(String from, String to) throws IOException {
        String json = Files.readString(TestWorld.file());
        assertTrue(json.contains(from), "world.json no longer contains " + from);
        Path copy = tmp.resolve("world.json");
        Files.writeString(copy, json.replace(from, to));
        return copy;
    }
}
