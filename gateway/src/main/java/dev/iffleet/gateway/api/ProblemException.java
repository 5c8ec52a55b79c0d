package dev.iffleet.gateway.api;

import jakarta.ws.rs.core.Response;

/** Ends a request with a ready problem response (409, 410 with a code...), bypassing the generic mappers. */
final class ProblemException extends RuntimeException {

    private final transient Response response;

    ProblemException(Response response) {
        super(String.valueOf(response.getEntity()), null, false, false);
        this.response = response;
    }

    Response response() {
        return response;
    }
}
