package dev.iffleet.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.Mode;
import dev.iffleet.core.job.Stage;
import dev.iffleet.core.job.StageOverrides;
import dev.iffleet.core.job.TimestepSchedule;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mode knobs of {@code POST /v1/jobs}: inputs each mode needs, defaults per mode, sizes, strength, schedules. */
class ModeRequestTest {

    /** Decodes with plain ImageIO: the limits themselves are the decoder's own tests. */
    private static final ImageDecoder IMAGE_IO = (field, bytes) -> {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            if (img == null) {
                throw new InvalidRequestException(field, field + " is not an image");
            }
            return new ImageDecoder.Decoded(img.getWidth(), img.getHeight(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    private final JobRequestValidator validator =
            new JobRequestValidator(Duration.ofDays(1), List.of(), new InputImagesPolicy(IMAGE_IO, 4, false));

    @Test
    void imageVariationGetsTheIfDefaultsAndTheInputsAspect() {
        JobRequestValidator.Validated v = validator.check(
                "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"" + png(200, 100) + "\"}");
        JobParams p = v.params();

        assertEquals(Mode.IMAGE_VARIATION, p.mode());
        assertEquals(new StageOverrides(80, 10.0, null, 0.7, null), p.stage1());
        assertEquals(new StageOverrides(50, 4.0, 250, 0.8, null), p.sr());
        assertEquals(128, p.width());
        assertEquals(64, p.height());
        assertEquals(Map.of("image", 200), Map.of("image", widthOf(v.inputs().get("image"))));
    }

    @Test
    void inpaintingDefaultsKeepACallersValue() {
        JobParams p = validator.validate("{\"prompt\":\"p\",\"mode\":\"inpainting\",\"image\":\"" + png(64, 96)
                + "\",\"mask\":\"" + png(32, 48) + "\",\"sr\":{\"noise_level\":100}}");

        assertEquals(new StageOverrides(50, 7.0, null, 1.0, null), p.stage1());
        assertEquals(new StageOverrides(50, 4.0, 100, 0.8, null), p.sr());
        assertEquals(64, p.width());
        assertEquals(96, p.height());
    }

    @Test
    void textToImageKeepsThePacksDefaults() {
        JobParams p = validator.validate("{\"prompt\":\"p\"}");

        assertEquals(StageOverrides.NONE, p.stage1());
        assertNull(p.mode());
        assertNull(p.width());
        assertEquals(Stage.STAGE1, p.firstDiffusionStage());
    }

    @Test
    void upscaleOnlyNeedsNoPromptAndStartsWhereAsked() {
        JobParams p = validator.validate("{\"mode\":\"upscale\",\"start_stage\":\"upscale\",\"image\":\""
                + png(256, 256) + "\"}");

        assertEquals("", p.prompt());
        assertEquals(Stage.UPSCALE, p.firstDiffusionStage());
        assertEquals(Stage.UPSCALE, p.lastStage());
        assertEquals(Stage.UPSCALE, p.stageAfter(Stage.ENCODE));
    }

    @Test
    void stopAfterNamesTheLastStage() {
        assertEquals(64, validator.validate("{\"prompt\":\"p\",\"stop_after\":\"stage1\"}").outputSize());
        assertEquals(256, validator.validate("{\"prompt\":\"p\",\"stop_after\":\"sr\",\"output_size\":256}").outputSize());
    }

    @Test
    void explicitSizesAndBatchesAreKept() {
        JobParams p = validator.validate("{\"prompt\":\"p\",\"width\":96,\"height\":64,\"num_images\":3,"
                + "\"stage1\":{\"timesteps\":\"smart27\"},\"sr\":{\"timesteps\":[999,500,0]}}");

        assertEquals(96, p.width());
        assertEquals(3, p.images());
        assertEquals(TimestepSchedule.named("smart27"), p.stage1().timesteps());
        assertEquals(List.of(999, 500, 0), p.sr().timesteps().explicit());
        assertEquals(p.seedFor(Stage.STAGE1, 1), p.seedsFor(Stage.STAGE1)[1]);
    }

    @Test
    void imageFingerprintIgnoresHowTheImageWasEncoded() {
        String b64 = png(64, 64);
        String a = validator.check("{\"prompt\":\"p\",\"mode\":\"image_variation\",\"seed\":1,\"image\":\"" + b64 + "\"}")
                .fingerprint();
        String b = validator.check("{\"prompt\":\"p\",\"mode\":\"image_variation\",\"seed\":1,\"image\":\""
                + "data:image/png;base64," + b64 + "\"}").fingerprint();
        String c = validator.check("{\"prompt\":\"p\",\"mode\":\"image_variation\",\"seed\":1,\"image\":\""
                + png(64, 72) + "\"}").fingerprint();

        assertEquals(a, b);
        assertEquals(false, a.equals(c));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
        "{\"prompt\":\"p\",\"mode\":\"image_variation\"}|image",
        "{\"prompt\":\"p\",\"image\":\"IMG\"}|image",
        "{\"prompt\":\"p\",\"mode\":\"inpainting\",\"image\":\"IMG\"}|mask",
        "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"IMG\",\"mask\":\"IMG\"}|mask",
        "{\"prompt\":\"p\",\"mode\":\"sketch\"}|mode",
        "{\"prompt\":\"p\",\"start_stage\":\"sr\"}|start_stage",
        "{\"mode\":\"upscale\",\"image\":\"IMG\",\"start_stage\":\"stage1\"}|start_stage",
        "{\"mode\":\"upscale\",\"image\":\"IMG\",\"start_stage\":\"upscale\",\"stop_after\":\"sr\"}|stop_after",
        "{\"prompt\":\"p\",\"stop_after\":\"encode\"}|stop_after",
        "{\"prompt\":\"p\",\"stop_after\":\"sr\",\"output_size\":64}|stop_after",
        "{\"prompt\":\"p\",\"width\":64}|height",
        "{\"prompt\":\"p\",\"width\":60,\"height\":64}|width",
        "{\"prompt\":\"p\",\"width\":256,\"height\":256}|width",
        "{\"prompt\":\"p\",\"width\":8,\"height\":64}|width",
        "{\"prompt\":\"p\",\"num_images\":0}|num_images",
        "{\"prompt\":\"p\",\"num_images\":5}|num_images",
        "{\"prompt\":\"p\",\"stage1\":{\"strength\":0.5}}|stage1.strength",
        "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"IMG\",\"stage1\":{\"strength\":0}}|stage1.strength",
        "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"IMG\",\"sr\":{\"strength\":1.5}}|sr.strength",
        "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"IMG\",\"upscale\":{\"strength\":0.5}}|upscale.strength",
        "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"IMG\",\"stage1\":{\"steps\":3,\"strength\":0.3}}|stage1.strength",
        "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"IMG\",\"stage1\":{\"timesteps\":\"fast27\",\"strength\":0.02}}|stage1.strength",
        "{\"prompt\":\"p\",\"stage1\":{\"timesteps\":\"smart99\"}}|stage1.timesteps",
        "{\"prompt\":\"p\",\"stage1\":{\"timesteps\":[999,500,500]}}|stage1.timesteps",
        "{\"prompt\":\"p\",\"stage1\":{\"timesteps\":[1000,5]}}|stage1.timesteps",
        "{\"prompt\":\"p\",\"stage1\":{\"timesteps\":[]}}|stage1.timesteps",
        "{\"prompt\":\"p\",\"stage1\":{\"timesteps\":\"smart27\",\"steps\":10}}|stage1.timesteps",
        "{\"prompt\":\"p\",\"upscale\":{\"timesteps\":\"smart27\"}}|upscale.timesteps",
        "{\"prompt\":\"p\",\"watermark\":false}|watermark",
        "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"not base64 !\"}|image",
        "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"data:image/png,abc\"}|image",
        "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"aGVsbG8=\"}|image",
        "{\"prompt\":\"\",\"mode\":\"image_variation\",\"image\":\"IMG\"}|prompt",
    })
    void badModeKnobsAre400sNamingTheField(String body, String field) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> validator.check(body.replace("IMG", png(64, 64))));

        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void operatorMayAllowUnwatermarkedImages() {
        JobRequestValidator open =
                new JobRequestValidator(Duration.ofDays(1), List.of(), new InputImagesPolicy(IMAGE_IO, 4, true));

        assertEquals(false, open.validate("{\"prompt\":\"p\",\"watermark\":false}").watermarked());
    }

    @Test
    void multipartUploadsAndInlineImagesDoNotMix() {
        byte[] bytes = Base64.getDecoder().decode(png(64, 64));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> validator.check(
                "{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"" + png(64, 64) + "\"}",
                Map.of("image", bytes)));

        assertEquals("image", e.field());
        assertEquals(Mode.IMAGE_VARIATION,
                validator.check("{\"prompt\":\"p\",\"mode\":\"image_variation\"}", Map.of("image", bytes)).params().mode());
    }

    @ParameterizedTest
    @CsvSource({"200,100,128,64", "100,200,64,128", "64,64,64,64", "640,480,88,64", "300,1000,64,216", "100,64,96,64", "64,100,64,96"})
    void inputsAreSizedLikeIfsImg2ImgResize(int w, int h, int expectW, int expectH) {
        int[] size = ModeChecks.stage1SizeOf(w, h);

        assertEquals(expectW, size[0]);
        assertEquals(expectH, size[1]);
    }

    static String png(int w, int h) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int widthOf(byte[] png) {
        try {
            return ImageIO.read(new ByteArrayInputStream(png)).getWidth();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
