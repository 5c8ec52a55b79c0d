package dev.iffleet.core.job;

/** Names of the artifacts a diffusion stage stores, shared by the workers that write them and the gateway. */
public final class Outputs {

    /** The stage's image batch as a float32 tensor (B, 3, H, W) in [-1, 1], read by the next stage. */
    public static final String IMAGE = "image";

    /** The latest x0 preview PNG of a running stage (image 0 of the batch), overwritten at each preview. */
    public static final String PREVIEW = "preview";

    private Outputs() {}

    /** PNG of image {@code index} of the batch: {@code png} for the first (as in one-image jobs), then {@code png.1}... */
    public static String png(int index) {
        return index == 0 ? "png" : "png." + index;
    }
}
