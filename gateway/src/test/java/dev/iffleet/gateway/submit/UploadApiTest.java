package dev.iffleet.gateway.submit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.iffleet.devstack.FleetTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Images reach a job by multipart upload or inline base64, within limits checked before decoding. */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class UploadApiTest {

    @Test
    void multipartUploadCreatesAJobWhoseInputsAreStoredAsPng() throws IOException {
        byte[] jpeg = encode(image(120, 80, Color.ORANGE), "jpg");
        byte[] mask = encode(image(60, 40, Color.WHITE), "png");

        String id = given().multiPart("request", "{\"prompt\":\"p\",\"mode\":\"inpainting\",\"output_size\":64}",
                        "application/json")
                .multiPart("image", "in.jpg", jpeg, "image/jpeg")
                .multiPart("mask", "mask.png", mask, "image/png")
                .post("/v1/jobs")
                .then().statusCode(202)
                .extract().path("id");

        BufferedImage stored = ImageIO.read(new ByteArrayInputStream(given().get("/v1/jobs/" + id + "/inputs/image.png")
                .then().statusCode(200).contentType("image/png").extract().asByteArray()));
        BufferedImage storedMask = ImageIO.read(new ByteArrayInputStream(
                given().get("/v1/jobs/" + id + "/inputs/mask.png").then().statusCode(200).extract().asByteArray()));
        assertEquals(120, stored.getWidth());
        assertEquals(80, stored.getHeight());
        assertEquals(60, storedMask.getWidth());
        given().get("/v1/jobs/" + id).then().statusCode(200)
                .body("params.mode", equalTo("inpainting"))
                .body("params.width", equalTo(96))
                .body("params.height", equalTo(64))
                .body("params.stage1.strength", equalTo(1.0f));
    }

    @Test
    void inlineBase64ImageWorksLikeAnUpload() throws IOException {
        String b64 = Base64.getEncoder().encodeToString(encode(image(64, 64, Color.BLUE), "png"));

        given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"p\",\"mode\":\"image_variation\",\"output_size\":64,\"image\":\"data:image/png;base64,"
                        + b64 + "\"}")
                .post("/v1/jobs")
                .then().statusCode(202);
    }

    @Test
    void decompressionBombIsRefusedFromItsHeader() {
        String b64 = Base64.getEncoder().encodeToString(pngClaiming(100_000, 100_000));

        given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"p\",\"mode\":\"image_variation\",\"image\":\"" + b64 + "\"}")
                .post("/v1/jobs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("image"))
                .body("code", equalTo("image_too_many_pixels"));
    }

    @Test
    void maskThatIsNoImageIsA400() throws IOException {
        given().multiPart("request", "{\"prompt\":\"p\",\"mode\":\"inpainting\"}", "application/json")
                .multiPart("image", "in.png", encode(image(64, 64, Color.RED), "png"), "image/png")
                .multiPart("mask", "mask.txt", "white here please".getBytes(), "text/plain")
                .post("/v1/jobs")
                .then().statusCode(400)
                .body("field", equalTo("mask"))
                .body("code", equalTo("mask_not_an_image"));
    }

    @Test
    void multipartWithoutTheRequestPartIsA400() throws IOException {
        given().multiPart("image", "in.png", encode(image(64, 64, Color.RED), "png"), "image/png")
                .post("/v1/jobs")
                .then().statusCode(400)
                .body("field", equalTo("request"))
                .body("detail", containsString("request"));
    }

    private static BufferedImage image(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    /** A PNG signature and IHDR that claim a huge image, and no pixel data: decoding it would be the bomb. */
    private static byte[] pngClaiming(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        ByteBuffer chunk = ByteBuffer.allocate(8 + 13 + 4 + 8);
        chunk.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk.putInt(13).put("IHDR".getBytes()).put(ihdr.array());
        CRC32 crc = new CRC32();
        crc.update("IHDR".getBytes());
        crc.update(ihdr.array());
        chunk.putInt((int) crc.getValue());
        return chunk.array();
    }
}
