package dev.iffleet.gateway;

/** Names shared by the OpenAPI annotations of the gateway's resources. */
public final class OpenApiDocs {

    /** The API-key (HTTP bearer) security scheme, declared on the job resource and required by every /v1 resource. */
    public static final String API_KEY = "apiKey";

    private OpenApiDocs() {}
}
