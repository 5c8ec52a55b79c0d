package dev.iffleet.diffusion.image;

/**
 * An image as the samplers take it, without DJL: float32 planes (channels, height, width), row-major, so that
 * {@code manager.create(data, new Shape(1, channels, height, width))} is the sampler's (1, C, H, W) input.
 *
 * @param channels 3 for an RGB image in [-1, 1], 1 for an inpainting mask in {0, 1}
 * @param height rows
 * @param width columns
 * @param data channels * height * width values
 */
public record PlanarImage(int channels, int height, int width, float[] data) {

    public PlanarImage {
        if ((long) channels * height * width != data.length) {
            throw new IllegalArgumentException(
                    data.length + " values are not " + channels + "x" + height + "x" + width);
        }
    }
}
