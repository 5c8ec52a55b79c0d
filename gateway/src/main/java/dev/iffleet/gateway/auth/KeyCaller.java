package dev.iffleet.gateway.auth;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * The security context of a request authenticated by an API key: its principal's name is the key's id (the SHA-256
 * that names it in Redis, never the key), which a new job records as its owner.
 */
record KeyCaller(ApiKey key, boolean secure) implements SecurityContext {

    @Override
    public Principal getUserPrincipal() {
        return key::hash;
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
