package dev.iffleet.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/**
 * An RFC 9457 problem body; {@code field} names the request field at fault when there is one, {@code code} is a
 * machine-readable reason where one is documented (e.g. {@code data_removed}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, String code) {

    public Problem(String type, String title, int status, String detail, String field) {
        this(type, title, status, detail, field, null);
    }

    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem whose type URI is derived from its title. */
    public static Problem of(int status, String title, String detail, String field) {
        String type = "https://if-fleet.dev/problems/" + title.toLowerCase(Locale.ROOT).replace(' ', '-');
        return new Problem(type, title, status, detail, field);
    }

    public static Response response(int status, String title, String detail, String field) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(of(status, title, detail, field))
                .build();
    }

    /** A problem with a machine-readable {@code code}. */
    public static Response coded(int status, String title, String detail, String code) {
        Problem p = of(status, title, detail, null);
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem(p.type(), title, status, detail, null, code))
                .build();
    }
}
