package dev.iffleet.gateway.submit;

import dev.iffleet.core.job.Mode;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageOverrides;
import java.util.Map;

/**
 * The checks of a request's mode and shape knobs: which pipeline, which inputs it needs, where it starts and stops,
 * the stage-I size, the batch and the per-stage strength/timesteps rules. Each failure names its field.
 */
final class ModeChecks {

    /** IF's stage-I short side: inputs are resized so their short side is this, the long side a multiple of 8. */
    static final int STAGE1_SIDE = 64;
    static final int MIN_SIDE = 16;
    static final int MAX_SIDE = 256;
    /** Largest stage-I area (px): 4x the 64x64 default, so the x4 output stays within about 4 Mpx. */
    static final int MAX_STAGE1_PIXELS = 4 * 64 * 64;

    /** What the checks decided, in the terms of {@link dev.iffleet.core.job.JobParams}. */
    record Shape(Mode mode, Stage start, Stage last, Integer width, Integer height, Integer numImages) {}

    private ModeChecks() {}

    /**
     * @param inputSize width and height of the decoded input image, or null without one
     * @param hasMask whether a mask was sent
     */
    static Shape check(JobRequest r, int[] inputSize, boolean hasMask, int maxImages) {
        Mode mode = mode(r.mode());
        if (mode.needsImage() && inputSize == null) {
            throw new InvalidRequestException("image", mode.id() + " needs an image");
        }
        if (!mode.needsImage() && inputSize != null) {
            throw new InvalidRequestException("image", "text_to_image takes no image; set mode to image_variation, "
                    + "inpainting or upscale");
        }
        if (mode.needsMask() && !hasMask) {
            throw new InvalidRequestException("mask", "inpainting needs a mask (white = repaint, black = keep)");
        }
        if (!mode.needsMask() && hasMask) {
            throw new InvalidRequestException("mask", "a mask is only used by mode inpainting");
        }
        Stage start = start(mode, r.startStage());
        Stage last = last(r.outputSize(), r.stopAfter());
        if (last.compareTo(start) < 0) {
            throw new InvalidRequestException("stop_after", "the job starts at " + start.id() + " and cannot stop at "
                    + last.id() + " before it");
        }
        int[] size = size(r.width(), r.height(), inputSize);
        if (r.numImages() != null && (r.numImages() < 1 || r.numImages() > maxImages)) {
            throw new InvalidRequestException("num_images", "num_images must be between 1 and " + maxImages);
        }
        checkStrengthAndTimesteps(mode, Map.of("stage1", r.stage1() == null ? StageOverrides.NONE : r.stage1(),
                "sr", r.sr() == null ? StageOverrides.NONE : r.sr(),
                "upscale", r.upscale() == null ? StageOverrides.NONE : r.upscale()));
        return new Shape(mode, start, last, size == null ? null : size[0], size == null ? null : size[1], r.numImages());
    }

    /** IF img2img's resize to stage I: short side 64, long side round(64/8 * ratio) * 8, rounding half to even. */
    static int[] stage1SizeOf(int width, int height) {
        double ratio = (double) width / height;
        if (ratio >= 1) {
            return new int[] {(int) Math.rint(STAGE1_SIDE / 8.0 * ratio) * 8, STAGE1_SIDE};
        }
        return new int[] {STAGE1_SIDE, (int) Math.rint(STAGE1_SIDE / 8.0 / ratio) * 8};
    }

    private static Mode mode(String id) {
        if (id == null) {
            return Mode.TEXT_TO_IMAGE;
        }
        try {
            return Mode.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("mode", e.getMessage());
        }
    }

    private static Stage start(Mode mode, String startStage) {
        if (startStage == null) {
            return mode == Mode.UPSCALE ? Stage.SR : Stage.STAGE1;
        }
        if (mode != Mode.UPSCALE) {
            throw new InvalidRequestException("start_stage", "start_stage is only for mode upscale");
        }
        return switch (startStage) {
            case "sr" -> Stage.SR;
            case "upscale" -> Stage.UPSCALE;
            default -> throw new InvalidRequestException("start_stage", "start_stage must be sr or upscale");
        };
    }

    private static Stage last(Integer outputSize, String stopAfter) {
        Stage bySize = null;
        if (outputSize != null) {
            if (!JobRequestValidator.OUTPUT_SIZES.contains(outputSize)) {
                throw new InvalidRequestException("output_size", "output_size must be 64, 256 or 1024");
            }
            bySize = Stage.deliveringSize(outputSize);
        }
        Stage byName = null;
        if (stopAfter != null) {
            try {
                byName = Stage.fromId(stopAfter);
            } catch (IllegalArgumentException e) {
                byName = Stage.ENCODE;
            }
            if (byName == Stage.ENCODE) {
                throw new InvalidRequestException("stop_after", "stop_after must be stage1, sr or upscale");
            }
        }
        if (bySize != null && byName != null && bySize != byName) {
            throw new InvalidRequestException("stop_after", "stop_after " + stopAfter + " contradicts output_size "
                    + outputSize);
        }
        return byName != null ? byName : bySize != null ? bySize : Stage.UPSCALE;
    }

    private static int[] size(Integer width, Integer height, int[] inputSize) {
        if ((width == null) != (height == null)) {
            throw new InvalidRequestException(width == null ? "width" : "height", "width and height go together");
        }
        if (width == null) {
            return inputSize == null ? null : stage1SizeOf(inputSize[0], inputSize[1]);
        }
        side("width", width);
        side("height", height);
        if (width * height > MAX_STAGE1_PIXELS) {
            throw new InvalidRequestException("width", "width x height at stage I must be at most "
                    + MAX_STAGE1_PIXELS + " px (e.g. 128x128 or 64x256)");
        }
        return new int[] {width, height};
    }

    private static void side(String field, int v) {
        if (v < MIN_SIDE || v > MAX_SIDE || v % 8 != 0) {
            throw new InvalidRequestException(field, field + " is the stage-I size: a multiple of 8 from " + MIN_SIDE
                    + " to " + MAX_SIDE + " (stage II gives 4x, the x4 stage 16x)");
        }
    }

    private static void checkStrengthAndTimesteps(Mode mode, Map<String, StageOverrides> stages) {
        boolean strengthAllowed = mode == Mode.IMAGE_VARIATION || mode == Mode.INPAINTING;
        stages.forEach((stage, o) -> {
            if (o.strength() != null) {
                if (!strengthAllowed || stage.equals("upscale")) {
                    throw new InvalidRequestException(stage + ".strength", "strength applies to stage1 and sr of "
                            + "image_variation and inpainting jobs");
                }
                if (o.strength().isNaN() || o.strength() <= 0 || o.strength() > 1) {
                    throw new InvalidRequestException(stage + ".strength", stage + ".strength must be in (0, 1]");
                }
            }
            if (o.previewEvery() != null && (!stage.equals("stage1") || o.previewEvery() < 0)) {
                throw new InvalidRequestException(stage + ".preview_every", "preview_every is stage1's: a number of "
                        + "steps >= 0 between x0 previews (0 = none)");
            }
            if (o.timesteps() != null) {
                if (stage.equals("upscale")) {
                    throw new InvalidRequestException("upscale.timesteps", "the x4 stage (DDIM) takes steps, not a "
                            + "timestep schedule");
                }
                if (o.steps() != null) {
                    throw new InvalidRequestException(stage + ".timesteps", "give " + stage + ".steps or "
                            + stage + ".timesteps, not both");
                }
            }
        });
    }
}
