package dev.iffleet.gateway.submit;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The API key a job was submitted with, kept in the job record as the key's id (its SHA-256, never the key) so that
 * the job's webhooks are signed with that key's secrets. The authentication filter makes the key the request's
 * principal; without authentication there is none and the record holds no owner.
 */
public final class JobOwner {

    /** Job hash field holding the id of the API key the job was submitted with. */
    public static final String FIELD = "api_key.id";

    private JobOwner() {}

    /** A new job's record fields, with its owner's key id when the request came with a key. */
    public static Map<String, String> recordFields(Map<String, String> fields, SecurityContext caller) {
        Optional<String> owner = of(caller);
        if (owner.isEmpty()) {
            return fields;
        }
        Map<String, String> owned = new HashMap<>(fields);
        owned.put(FIELD, owner.get());
        return owned;
    }

    /** The id of the API key a request came with; empty without authentication. */
    public static Optional<String> of(SecurityContext caller) {
        Principal principal = caller == null ? null : caller.getUserPrincipal();
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(principal.getName());
    }
}
