package dev.weir.proxy.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A keep-alive HTTP/1.1 store on a real loopback socket, one virtual thread per connection:
 * each request is answered 200 with what {@code answer} makes of its body, after the delay it
 * names. Counts the connections it accepted and the most that were open at once.
 */
public final class StubStore implements AutoCloseable {
    /** What to answer to one request body, and how long to wait first. */
    public record Answer(long delayMillis, byte[] body) {}

    private final ServerSocket server = new ServerSocket(0);
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final Function<byte[], Answer> answer;

    public StubStore(Function<byte[], Answer> answer) throws IOException {
        this.answer = answer;
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    accepted.add(s);
                    mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    Thread.ofVirtual().start(() -> serve(s));
                }
            } catch (IOException closed) {
                // test over
            }
        });
    }

    /** Answers each request with its own body, after the delay (ms) its first word names ("250" or "250 tag"). */
    public static StubStore echo() throws IOException {
        return new StubStore(body -> {
            String text = new String(body, StandardCharsets.US_ASCII);
            int space = text.indexOf(' ');
            return new Answer(Long.parseLong(space < 0 ? text : text.substring(0, space)), body);
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.size();
    }

    /** The most connections that were open at the same time. */
    public int mostOpenAtOnce() {
        return mostOpen.get();
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = head(in);
                if (head == null) return;
                int length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
                }
                Answer a = answer.apply(in.readNBytes(length));
                Thread.sleep(a.delayMillis());
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + a.body().length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(a.body());
                out.flush();
            }
        } catch (IOException | InterruptedException | NumberFormatException closed) {
            // the client went away
        } finally {
            open.decrementAndGet();
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c, matched = 0;
        while ((c = in.read()) >= 0) {
            b.write(c);
            matched = (c == '\r' || c == '\n') && "\r\n\r\n".charAt(matched) == c ? matched + 1 : (c == '\r' ? 1 : 0);
            if (matched == 4) return b.toString(StandardCharsets.US_ASCII);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) s.close();
    }
}
