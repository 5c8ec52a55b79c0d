package dev.iffleet.gateway.auth;

import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.RedisStore;
import dev.iffleet.gateway.webhook.SigningSecrets;
import dev.iffleet.gateway.webhook.WebhookConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The gateway's {@link SigningSecrets}: a job submitted with an API key is signed with that key's secrets (both the
 * new and the previous one during a rotation's overlap); a job without a key, or of a key made before keys had
 * secrets, with the gateway-wide {@code fleet.webhooks.secrets}. A revoked key's jobs get no signature at all.
 */
@Singleton
public class ApiKeyWebhookSecrets implements SigningSecrets {

    private final ApiKeyStore keys;
    private final List<String> gatewayWide;

    @Inject
    ApiKeyWebhookSecrets(RedisStore redis, JobStore jobs, WebhookConfig config) {
        this(new ApiKeyStore(redis, new AuthKeys(jobs.keys().prefix())), config.secrets().orElse(List.of()));
    }

    public ApiKeyWebhookSecrets(ApiKeyStore keys, List<String> gatewayWide) {
        this.keys = keys;
        this.gatewayWide = List.copyOf(gatewayWide);
    }

    @Override
    public List<String> forKey(String keyId, long nowMs) {
        if (keyId == null) {
            return gatewayWide;
        }
        return keys.webhookSecrets(keyId, nowMs).orElseGet(() -> {
            if (keys.findByHash(keyId).isEmpty()) {
                throw new KeyRevokedException();
            }
            return gatewayWide;
        });
    }

    @Override
    public String toString() {
        return "ApiKeyWebhookSecrets[gateway-wide secrets=" + gatewayWide.size() + "]";
    }
}
