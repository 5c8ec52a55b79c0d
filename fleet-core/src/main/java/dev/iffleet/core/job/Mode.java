package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What a job does with the cascade: IF's four pipelines (text-to-image, img2img, inpainting, super-resolution only). */
public enum Mode {
    /** Prompt in, images out: every stage from stage I on. */
    TEXT_TO_IMAGE("text_to_image", false, false),
    /** img2img: an input image is noised to {@code strength} and denoised again under the prompt. */
    IMAGE_VARIATION("image_variation", true, false),
    /** Only the white region of the mask is generated; the rest stays the input image. */
    INPAINTING("inpainting", true, true),
    /** An input image goes through stage II and/or the x4 stage; stage I never runs. */
    UPSCALE("upscale", true, false);

    private final String id;
    private final boolean needsImage;
    private final boolean needsMask;

    Mode(String id, boolean needsImage, boolean needsMask) {
        this.id = id;
        this.needsImage = needsImage;
        this.needsMask = needsMask;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public boolean needsImage() {
        return needsImage;
    }

    public boolean needsMask() {
        return needsMask;
    }

    @JsonCreator
    public static Mode fromId(String id) {
        return Arrays.stream(values())
                .filter(m -> m.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown mode '" + id + "'; one of " + ids()));
    }

    public static String ids() {
        return Arrays.stream(values()).map(Mode::id).collect(Collectors.joining(", "));
    }
}
