package dev.iffleet.launcher;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one Redis hash ({@code HGETALL}) over a plain socket: {@code ./fleet status} needs nothing more, and a RESP
 * exchange starts in milliseconds where a full client would start an event loop.
 */
final class RedisHash {

    private RedisHash() {}

    /** Every field of hash {@code key} at {@code redis://[user:password@]host:port[/db]}; empty if there is none. */
    static Map<String, String> getAll(String redisUri, String key) throws IOException {
        URI uri = URI.create(redisUri);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (uri.getRawUserInfo() != null) {
                String[] user = uri.getRawUserInfo().split(":", 2);
                String password = URLDecoder.decode(user.length > 1 ? user[1] : user[0], StandardCharsets.UTF_8);
                if (user.length > 1 && !user[0].isEmpty()) {
                    call(out, in, "AUTH", URLDecoder.decode(user[0], StandardCharsets.UTF_8), password);
                } else {
                    call(out, in, "AUTH", password);
                }
            }
            String path = uri.getPath();
            if (path != null && path.length() > 1) {
                call(out, in, "SELECT", path.substring(1));
            }
            Object reply = call(out, in, "HGETALL", key);
            Map<String, String> map = new LinkedHashMap<>();
            if (reply instanceof Object[] items) {
                for (int i = 0; i + 1 < items.length; i += 2) {
                    map.put((String) items[i], (String) items[i + 1]);
                }
            }
            return map;
        }
    }

    private static Object call(OutputStream out, InputStream in, String... args) throws IOException {
        ByteArrayOutputStream cmd = new ByteArrayOutputStream();
        cmd.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            cmd.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            cmd.write(b);
            cmd.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(cmd.toByteArray());
        out.flush();
        return read(in);
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+', ':' -> {
                return line;
            }
            case '-' -> throw new IOException("redis: " + line);
            case '$' -> {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(len);
                in.readNBytes(2);
                return new String(b, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                Object[] items = new Object[Math.max(0, n)];
                for (int i = 0; i < n; i++) {
                    items[i] = read(in);
                }
                return items;
            }
            default -> throw new IOException("redis: unexpected reply type " + type);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            b.write(c);
        }
        in.read(); // '\n'
        return b.toString(StandardCharsets.UTF_8);
    }
}
