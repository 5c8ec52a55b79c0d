package dev.iffleet.gateway.webhook;

import java.util.List;

/**
 * Where a delivery's signing secrets come from. Asked at every attempt, so an attempt after a rotation is signed with
 * the secrets of that moment.
 */
@FunctionalInterface
public interface SigningSecrets {

    /**
     * @param keyId the id of the API key the job was submitted with, or null when it came without one
     * @return the secrets to sign with, current first (all of them sign); empty: the delivery goes unsigned
     * @throws KeyRevokedException when the job's key was revoked: nothing is signed for it any more
     */
    List<String> forKey(String keyId, long nowMs);

    /** The same secrets for every job: the gateway-wide {@code fleet.webhooks.secrets}. */
    static SigningSecrets gatewayWide(List<String> secrets) {
        List<String> copy = List.copyOf(secrets);
        return (keyId, nowMs) -> copy;
    }

    /** The job's API key no longer exists, nor do its secrets: its deliveries fail. */
    final class KeyRevokedException extends RuntimeException {
        public KeyRevokedException() {
            super("the job's API key was revoked: no secret to sign with");
        }
    }
}
