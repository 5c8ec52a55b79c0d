package dev.iffleet.core.store;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Thin Lettuce wrapper: binary artifacts and string hashes, every write with a TTL. Lettuce connections
 * are thread-safe, so one store serves all worker threads.
 */
public final class RedisStore implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    // one script, so a key that expires or is deleted between the check and the write is not recreated, and a
    // guarded field (a job's state) that reached a refused value is never moved back.
    // ARGV: ttl ms (0 = keep), field holding a per-key ttl ('' = none), guard field ('' = none), n, n refused values, pairs
    private static final String UPDATE_IF_EXISTS = "if redis.call('exists', KEYS[1]) == 0 then return 0 end "
            + "local n = tonumber(ARGV[4]) "
            + "if ARGV[3] ~= '' and n > 0 then local g = redis.call('hget', KEYS[1], ARGV[3]) "
            + "  for i = 5, 4 + n do if g == ARGV[i] then return 0 end end end "
            + "redis.call('hset', KEYS[1], unpack(ARGV, 5 + n)) "
            + "local ttl = tonumber(ARGV[1]) "
            + "if ttl > 0 then "
            + "  if ARGV[2] ~= '' then local own = redis.call('hget', KEYS[1], ARGV[2]) if own then ttl = tonumber(own) end end "
            + "  redis.call('pexpire', KEYS[1], ttl) end "
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
        return updateHash(key, fields, ttl, "", "", List.of());
    }

    /**
     * Like {@link #updateHash(String, Map, Duration)}, but the TTL renewal uses the hash's own {@code ttlField} (ms)
     * when it has one, and nothing is written when {@code guardField} holds one of {@code refused}.
     */
    public boolean updateHash(String key, Map<String, String> fields, Duration ttl, String ttlField, String guardField,
            List<String> refused) {
        if (fields.isEmpty()) {
            return exists(key);
        }
        List<String> args = new ArrayList<>();
        args.add(ttl == null ? "0" : Long.toString(Math.max(1, ttl.toMillis())));
        args.add(ttlField);
        args.add(guardField);
        args.add(Integer.toString(refused.size()));
        args.addAll(refused);
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        Long written = text.sync().eval(UPDATE_IF_EXISTS, ScriptOutputType.INTEGER, new String[] {key}, args.toArray(String[]::new));
        return written != null && written == 1L;
    }

    /**
     * Runs a script whose keys and arguments are bytes (artifacts travel as arguments), in one round trip.
     *
     * @return the script's integer reply
     */
    public long evalBinary(String script, List<byte[]> keys, List<byte[]> args) {
        Long r = binary.sync().eval(script, ScriptOutputType.INTEGER, keys.toArray(byte[][]::new),
                args.toArray(byte[][]::new));
        return r == null ? 0 : r;
    }

    /**
     * Calls {@code onMessage} with every message published on {@code channel} from now on, on Lettuce's event
     * thread (keep it short); closing the returned handle ends the subscription. Lettuce re-subscribes after a
     * reconnect; messages published while disconnected are lost, so a subscriber must not depend on every one.
     */
    public AutoCloseable subscribe(String channel, Consumer<String> onMessage) {
        StatefulRedisPubSubConnection<String, String> pubsub = client.connectPubSub(StringCodec.UTF8);
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                if (channel.equals(ch)) {
                    onMessage.accept(message);
                }
            }
        });
        pubsub.sync().subscribe(channel);
        return pubsub::close;
    }

    /** Every key matching a SCAN glob {@code pattern}; for small key families (one job's artifacts). */
    public List<String> scan(String pattern) {
        List<String> found = new ArrayList<>();
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(500);
        KeyScanCursor<String> cursor = text.sync().scan(args);
        found.addAll(cursor.getKeys());
        while (!cursor.isFinished()) {
            cursor = text.sync().scan(cursor, args);
            found.addAll(cursor.getKeys());
        }
        return found;
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
