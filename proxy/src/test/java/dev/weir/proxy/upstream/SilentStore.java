package dev.weir.proxy.upstream;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Accepts connections and never reads or answers (a frozen store as the network sees it). */
public final class SilentStore implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0);
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    public SilentStore() throws IOException {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) held.add(server.accept());
            } catch (IOException closed) {
                // test over
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return held.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) s.close();
    }
}
