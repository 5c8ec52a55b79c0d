package dev.iffleet.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.launcher.FleetClient;

/** The gateway answered with an error status; the message carries the problem body's detail. */
final class GatewayException extends RuntimeException {

    private final int status;

    GatewayException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** An error for {@code reply}, described by its problem+json {@code detail} (or title, or raw body). */
    static GatewayException of(String what, FleetClient.Reply reply) {
        return new GatewayException(reply.status(), what + " answered HTTP " + reply.status() + ": " + detail(reply));
    }

    static String detail(FleetClient.Reply reply) {
        String text = new String(reply.body()).strip();
        try {
            JsonNode problem = reply.json();
            for (String field : new String[] {"detail", "title", "message", "error"}) {
                if (problem.hasNonNull(field)) {
                    return problem.get(field).asText();
                }
            }
        } catch (RuntimeException notJson) {
            // a plain-text or empty body: shown as is
        }
        if (text.isEmpty()) {
            return "(no body)";
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
