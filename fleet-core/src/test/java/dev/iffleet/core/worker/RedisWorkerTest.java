package dev.iffleet.core.worker;

import dev.iffleet.core.store.RedisStore;
import dev.iffleet.devstack.DevStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Base of the worker-template tests: one connection to the shared real Redis per class, a fresh fixture per test. */
abstract class RedisWorkerTest {

    protected static RedisStore redis;
    protected WorkerFixture f;

    @BeforeAll
    static void connect() {
        redis = new RedisStore(DevStack.shared().redisUri());
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @BeforeEach
    void fixture() {
        f = new WorkerFixture(redis);
    }
}
