package dev.iffleet.gateway.submit;

/** Decodes one uploaded image (within the operator's limits) into its size and a normalised PNG for the workers. */
public interface ImageDecoder {

    /** An accepted upload: its pixel size and the PNG the workers read. */
    record Decoded(int width, int height, byte[] png) {}

    /**
     * @param field the request field it came in ({@code image} or {@code mask}), for the error
     * @throws InvalidRequestException naming the field when the bytes are no image, too large or of too many pixels
     */
    Decoded decode(String field, byte[] bytes);
}
