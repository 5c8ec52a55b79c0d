package dev.iffleet.core.image;

import static dev.iffleet.core.image.Fixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class InputImagesLimitsTest {

    private final InputImages images = new InputImages(ImageLimits.DEFAULT);

    @Test
    void refusesPngBombFromItsHeaderAlone() {
        byte[] bomb = png(100_000, 100_000);
        assertEquals(ImageError.IMAGE_TOO_MANY_PIXELS, error(() -> images.decode(bomb)));
        // with no side limit to speak of, the pixel count still stops it
        InputImages wide = new InputImages(new ImageLimits(1 << 20, 1_000_000, Integer.MAX_VALUE));
        assertEquals(ImageError.IMAGE_TOO_MANY_PIXELS, error(() -> wide.decode(bomb)));
        assertEquals(ImageError.IMAGE_TOO_MANY_PIXELS, error(() -> images.decodeMask(bomb)));
    }

    @Test
    void refusesJpegAndWebpBombsFromTheirHeaders() {
        byte[] jpeg = bytes("red.jpg");
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        // SOF0: marker, length (2), precision (1), height (2), width (2)
        ByteBuffer.wrap(jpeg, sof + 5, 4).putShort((short) 60_000).putShort((short) 60_000);
        assertEquals(ImageError.IMAGE_TOO_MANY_PIXELS, error(() -> images.decode(jpeg)));

        byte[] webp = bytes("lossy.webp");
        // VP8 key frame: 3-byte tag, 9d 01 2a, then 14-bit width and height (little-endian) at 26 and 28
        webp[26] = (byte) 0xFF;
        webp[27] = 0x3F;
        webp[28] = (byte) 0xFF;
        webp[29] = 0x3F;
        assertEquals(ImageError.IMAGE_TOO_MANY_PIXELS, error(() -> images.decode(webp)));
    }

    @Test
    void decodesASmallPngBuiltLikeTheBomb() {
        assertEquals(3, images.decode(png(3, 2)).getWidth());
    }

    @Test
    void refusesALongSide() {
        InputImages narrow = new InputImages(new ImageLimits(1 << 20, 1_000_000, 4));
        assertEquals(ImageError.IMAGE_SIDE_TOO_LONG, error(() -> narrow.decode(bytes("gray.png"))));
    }

    @Test
    void refusesTooManyBytesBeforeLookingAtThem() {
        InputImages small = new InputImages(new ImageLimits(100, 1_000_000, 4096));
        assertEquals(ImageError.IMAGE_TOO_LARGE, error(() -> small.decode(bytes("red.jpg"))));
        assertEquals(ImageError.IMAGE_TOO_LARGE, error(() -> small.decode(new byte[101])));
        assertEquals(ImageError.IMAGE_TOO_LARGE, error(() -> small.decodeMask(new byte[101])));
    }

    @Test
    void refusesOtherFormatsAndNonImages() {
        assertEquals(ImageError.UNSUPPORTED_IMAGE, error(() -> images.decode(bytes("tiny.gif"))));
        assertEquals(ImageError.UNSUPPORTED_IMAGE, error(() -> images.decode(new byte[0])));
        assertEquals(ImageError.UNSUPPORTED_IMAGE, error(() -> images.decode("hello, world".getBytes())));
        assertEquals(ImageError.MASK_NOT_AN_IMAGE, error(() -> images.decodeMask(bytes("tiny.gif"))));
    }

    @Test
    void reportsTruncatedOrGarbledFilesAsCorrupt() {
        byte[] png = bytes("gray.png");
        assertEquals(ImageError.CORRUPT_IMAGE, error(() -> images.decode(Arrays.copyOf(png, 20))));
        byte[] garbled = png(3, 2);
        Arrays.fill(garbled, 41, garbled.length - 12, (byte) 0x55); // IDAT payload
        assertEquals(ImageError.CORRUPT_IMAGE, error(() -> images.decode(garbled)));
        assertEquals(ImageError.CORRUPT_IMAGE, error(() -> images.decode(Arrays.copyOf(bytes("red.jpg"), 8))));
        assertEquals(ImageError.MASK_NOT_AN_IMAGE, error(() -> images.decodeMask(Arrays.copyOf(png, 20))));
    }

    @Test
    void errorsCarryTheirCodeAndAMessage() {
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> images.decode(new byte[0]));
        assertEquals("unsupported_image", e.code());
        assertEquals("the image is empty", e.getMessage());
    }

    static ImageError error(Executable call) {
        return assertThrows(InvalidImageException.class, call).error();
    }

    /** An 8-bit RGB PNG whose header states {@code width x height}, with one row of pixel data at most. */
    static byte[] png(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put(new byte[] {8, 2, 0, 0, 0}).array());
        byte[] raw = new byte[Math.min(height, 2) * (1 + 3 * Math.min(width, 3))];
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] idat = new byte[64];
        chunk(out, "IDAT", Arrays.copyOf(idat, deflater.deflate(idat)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeAndData = ByteBuffer.allocate(4 + data.length).put(type.getBytes()).put(data).array();
        out.writeBytes(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static int indexOf(byte[] bytes, byte a, byte b) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == a && bytes[i + 1] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("marker not found");
    }
}
