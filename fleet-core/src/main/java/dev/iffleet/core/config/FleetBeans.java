package dev.iffleet.core.config;

import dev.iffleet.core.store.JobStore;
import dev.iffleet.core.store.Keys;
import dev.iffleet.core.store.RedisStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI producers of the Redis pieces every service uses. */
public class FleetBeans {

    @Produces
    @Singleton
    RedisStore redisStore(FleetConfig config) {
        return new RedisStore(config.redis().uri());
    }

    void closeRedis(@Disposes RedisStore store) {
        store.close();
    }

    @Produces
    @Singleton
    JobStore jobStore(RedisStore redis, FleetConfig config) {
        return new JobStore(redis, Keys.forFleet(config.name(), config.redis().keyPrefix()), config.redis().ttl(),
                config.gateway().maxRetention());
    }
}
