package dev.weir.appliance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A store that writes its answers' member names with JSON escapes, as any JSON writer may: an
 * HTTP/1.1 relay in front of the bundled store that passes requests on as they are and, in every
 * answer, spells {@code "Attributes":}, {@code "Item":}, {@code "Items":} and
 * {@code "ConsumedCapacity":} with their first letter as a JSON unicode escape (a backslash, u,
 * and the letter's four hex digits), then fixes the answer's length and {@code x-amz-crc32}. Every JSON reader,
 * the AWS SDK's included, reads such an answer as the plain one. Plain blocking sockets, a thread
 * per connection; answers are framed by Content-Length (the bundled store's are).
 */
final class EscapingRelay implements AutoCloseable {
    private static final String[][] NAMES = {
            {"\"Attributes\":", "\"\\u0041ttributes\":"},
            {"\"Items\":", "\"\\u0049tems\":"},
            {"\"Item\":", "\"\\u0049tem\":"},
            {"\"ConsumedCapacity\":", "\"\\u0043onsumedCapacity\":"},
    };

    private final ServerSocket server;
    private final int storePort;
    private final AtomicInteger rewritten = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();

    EscapingRelay(int storePort) throws IOException {
        this.storePort = storePort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("escaping-relay").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** How many member names the relay has spelled with an escape so far. */
    int rewritten() {
        return rewritten.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                synchronized (open) {
                    open.add(client);
                }
                Thread.ofPlatform().daemon().name("escaping-relay-conn").start(() -> relay(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket store = new Socket(InetAddress.getLoopbackAddress(), storePort)) {
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            InputStream fromStore = new BufferedInputStream(store.getInputStream());
            OutputStream toClient = client.getOutputStream();
            OutputStream toStore = store.getOutputStream();
            while (true) {
                Message request = Message.read(fromClient);
                if (request == null) return;
                toStore.write(request.head.getBytes(StandardCharsets.ISO_8859_1));
                toStore.write(request.body);
                toStore.flush();
                Message answer = Message.read(fromStore);
                if (answer == null) return;
                byte[] body = escape(answer.body);
                CRC32 crc = new CRC32();
                crc.update(body);
                StringBuilder head = new StringBuilder();
                for (String line : answer.head.split("\r\n")) {
                    if (line.isEmpty()) continue;
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:") || lower.startsWith("x-amz-crc32:")) continue;
                    head.append(line).append("\r\n");
                }
                head.append("x-amz-crc32: ").append(crc.getValue()).append("\r\n");
                head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                toClient.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                toClient.write(body);
                toClient.flush();
            }
        } catch (IOException gone) {
            // either side closed: the relay's connection ends with it
        }
    }

    private byte[] escape(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        for (String[] name : NAMES) {
            int at = text.indexOf(name[0]);
            while (at >= 0) {
                rewritten.incrementAndGet();
                at = text.indexOf(name[0], at + 1);
            }
            text = text.replace(name[0], name[1]);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) s.close();
        }
    }

    /** One HTTP/1.1 message framed by Content-Length: its head (with the blank line) and body. */
    private record Message(String head, byte[] body) {
        static Message read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) return null;
                head.write(b);
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                        : b == '\r' ? 1 : 0;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
            }
            return new Message(text, in.readNBytes(length));
        }
    }
}
