package dev.iffleet.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Hands out free TCP ports on the loopback interface for the dev-stack servers. */
public final class Ports {

    // The OS may offer the same ephemeral port twice before anybody binds it; remembering what
    // this JVM already handed out keeps Kafka's two listeners and Redis from colliding.
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** Returns a loopback port that nothing listened on a moment ago and this JVM has not handed out before. */
    public static int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a probe socket on the loopback interface", e);
            }
        }
        throw new IllegalStateException("no free loopback port after 100 attempts");
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port} right now. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
