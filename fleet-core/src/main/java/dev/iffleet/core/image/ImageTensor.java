package dev.iffleet.core.image;

/**
 * A planar float image, channel-major (CHW): value {@code (c, y, x)} is at {@code data[(c * height + y) * width
 * + x]}. The array is shared, not copied.
 */
public record ImageTensor(float[] data, int channels, int height, int width) {

    public ImageTensor {
        if (channels <= 0 || height <= 0 || width <= 0 || data.length != channels * height * width) {
            throw new IllegalArgumentException(data.length + " values for shape " + channels + "x" + height + "x"
                    + width);
        }
    }

    /** The value at channel {@code c}, row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }
}
