package dev.iffleet.core.store;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Thin Lettuce wrapper: binary artifacts and string hashes, every write with a TTL. Lettuce connections
 * are thread-safe, so one store serves all worker threads.
 */
public final class RedisStore implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    // one script, so a key that expires or is deleted between the check and the write is not recreated
    private static final String UPDATE_IF_EXISTS = "if redis.call('exists', KEYS[1]) == 0 then return 0 end "
            + "redis.call('hset', KEYS[1], unpack(ARGV, 2)) "
            + "if tonumber(ARGV[1]) > 0 then redis.call('pexpire', KEYS[1], ARGV[1]) end "
            + "return 1";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> text;
    private final StatefulRedisConnection<byte[], byte[]> binary;

    public RedisStore(String uri) {
        RedisURI redisUri = RedisURI.create(uri);
        // fail a command in seconds, not Lettuce's default minute, so an outage becomes a quick 503 or a retry
        redisUri.setTimeout(COMMAND_TIMEOUT);
        this.client = RedisClient.create(redisUri);
        this.text = client.connect(StringCodec.UTF8);
        this.binary = client.connect(ByteArrayCodec.INSTANCE);
    }

    public RedisCommands<String, String> text() {
        return text.sync();
    }

    public void putBytes(String key, byte[] value, Duration ttl) {
        binary.sync().set(bytes(key), value, SetArgs.Builder.px(ttl.toMillis()));
    }

    public Optional<byte[]> getBytes(String key) {
        return Optional.ofNullable(binary.sync().get(bytes(key)));
    }

    public boolean exists(String key) {
        return text.sync().exists(key) > 0;
    }

    public void putString(String key, String value, Duration ttl) {
        text.sync().set(key, value, SetArgs.Builder.px(ttl.toMillis()));
    }

    public Optional<String> getString(String key) {
        return Optional.ofNullable(text.sync().get(key));
    }

    /** Sets hash fields and renews the key's TTL. */
    public void putHash(String key, Map<String, String> fields, Duration ttl) {
        text.sync().hset(key, fields);
        text.sync().pexpire(key, ttl.toMillis());
    }

    /**
     * Sets fields of an existing hash only, renewing its TTL unless {@code ttl} is null.
     *
     * @return false when the key is gone (expired or deleted) and nothing was written
     */
    public boolean updateHash(String key, Map<String, String> fields, Duration ttl) {
        if (fields.isEmpty()) {
            return exists(key);
        }
        String[] args = new String[1 + 2 * fields.size()];
        args[0] = ttl == null ? "0" : Long.toString(Math.max(1, ttl.toMillis()));
        int i = 1;
        for (Map.Entry<String, String> f : fields.entrySet()) {
            args[i++] = f.getKey();
            args[i++] = f.getValue();
        }
        Long written = text.sync().eval(UPDATE_IF_EXISTS, ScriptOutputType.INTEGER, new String[] {key}, args);
        return written != null && written == 1L;
    }

    public Map<String, String> getHash(String key) {
        return text.sync().hgetall(key);
    }

    /** Removes keys without blocking Redis on large values. */
    public void unlink(String... keys) {
        if (keys.length > 0) {
            text.sync().unlink(keys);
        }
    }

    @Override
    public void close() {
        text.close();
        binary.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private static byte[] bytes(String key) {
        return key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
