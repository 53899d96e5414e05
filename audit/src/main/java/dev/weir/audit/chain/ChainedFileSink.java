package dev.weir.audit.chain;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EventFormat;
import dev.weir.audit.sink.AuditSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Rotating audit files with a SHA-256 hash chain and signed digests (see {@link ChainFiles}
 * for the layout). Each record's hash goes to the chain file beside its log; a digest of the
 * chain head is signed with Ed25519 at the first flush after each digest interval, whenever a
 * file is rotated (a "final" digest that seals it), and on close. A restart continues the
 * chain in a new file and seals the previous one first.
 *
 * <p>Single-threaded, like every sink: called by one shipper thread.
 */
public final class ChainedFileSink implements AuditSink {

    /** @param signingKey Ed25519 private key, or null to write unsigned digests (the chain still works). */
    public record Options(Path dir, EventFormat format, long maxFileBytes, Duration maxFileAge,
                          Duration digestInterval, PrivateKey signingKey, Clock clock) {
        public Options {
            if (maxFileBytes <= 0) maxFileBytes = 64L << 20;
            if (maxFileAge == null) maxFileAge = Duration.ofHours(1);
            if (digestInterval == null) digestInterval = Duration.ofMinutes(1);
            if (clock == null) clock = Clock.systemUTC();
        }

        public static Options of(Path dir, EventFormat format) {
            return new Options(dir, format, 0, null, null, null, null);
        }
    }

    private final Options o;
    private final MessageDigest sha = ChainFiles.sha256();
    private byte[] head = ChainFiles.GENESIS;
    private long fileNumber;
    private FileChannel log, chain;
    private final ByteBuffer logBuf = ByteBuffer.allocate(256 * 1024), chainBuf = ByteBuffer.allocate(64 * 1024);
    private long bytesInFile, recordsInFile, recordsDigested;
    private Instant fileOpened, lastDigest;
    private long digestN;
    private String prevDigest = ChainFiles.hex(new byte[32]);

    public ChainedFileSink(Options options) throws IOException {
        this.o = options;
        Files.createDirectories(o.dir());
        loadDigests();
        List<Long> numbers = ChainFiles.logNumbers(o.dir());
        if (numbers.isEmpty()) {
            fileNumber = 1;
        } else {
            long last = numbers.getLast();
            Recovered r = recover(last);
            head = r.head;
            if (r.records > r.digested) digest(ChainFiles.logName(last), r.records, true);
            fileNumber = last + 1;
        }
        open();
    }

    @Override
    public void write(AuditEvent event) throws IOException {
        byte[] record = o.format().encode(event);
        if (recordsInFile > 0 && (bytesInFile + record.length + 1 > o.maxFileBytes()
                || !o.clock().instant().isBefore(fileOpened.plus(o.maxFileAge())))) {
            rotate();
        }
        head = ChainFiles.next(sha, head, record, 0, record.length);
        bytesInFile += record.length + 1;
        recordsInFile++;
        put(log, logBuf, record);
        put(log, logBuf, NL);
        put(chain, chainBuf, (bytesInFile + " " + ChainFiles.hex(head) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void flush() throws IOException {
        sync();
        if (recordsInFile > recordsDigested && !o.clock().instant().isBefore(lastDigest.plus(o.digestInterval()))) {
            digest(ChainFiles.logName(fileNumber), recordsInFile, false);
        }
    }

    @Override
    public void close() throws IOException {
        sync();
        if (recordsInFile > recordsDigested) digest(ChainFiles.logName(fileNumber), recordsInFile, true);
        log.close();
        chain.close();
    }

    /** The file being written, for tests and for {@code tail}. */
    public Path currentFile() {
        return o.dir().resolve(ChainFiles.logName(fileNumber));
    }

    private static final byte[] NL = {'\n'};

    private void rotate() throws IOException {
        sync();
        digest(ChainFiles.logName(fileNumber), recordsInFile, true);
        log.close();
        chain.close();
        fileNumber++;
        open();
    }

    private void open() throws IOException {
        Path logFile = o.dir().resolve(ChainFiles.logName(fileNumber));
        log = FileChannel.open(logFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        chain = FileChannel.open(o.dir().resolve(ChainFiles.chainName(fileNumber)), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        put(chain, chainBuf, (ChainFiles.CHAIN_MAGIC + " prev=" + ChainFiles.hex(head) + "\n").getBytes(StandardCharsets.US_ASCII));
        bytesInFile = 0;
        recordsInFile = 0;
        recordsDigested = 0;
        fileOpened = o.clock().instant();
        if (lastDigest == null) lastDigest = fileOpened;
        sync();
    }

    private void sync() throws IOException {
        drain(log, logBuf);
        log.force(false);
        drain(chain, chainBuf);
        chain.force(false);
    }

    private void digest(String file, long records, boolean fin) throws IOException {
        Digest d = Digest.signed(++digestN, o.clock().instant().toString(), file, records, ChainFiles.hex(head), fin,
                prevDigest, o.signingKey());
        byte[] line = d.line().getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(o.dir().resolve(ChainFiles.DIGESTS), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
            while (b.hasRemaining()) ch.write(b);
            ch.force(false);
        }
        prevDigest = ChainFiles.hex(sha.digest(line));
        recordsDigested = records;
        lastDigest = o.clock().instant();
    }

    private static void put(FileChannel ch, ByteBuffer buf, byte[] bytes) throws IOException {
        if (bytes.length > buf.remaining()) {
            drain(ch, buf);
            if (bytes.length > buf.capacity()) {
                ByteBuffer big = ByteBuffer.wrap(bytes);
                while (big.hasRemaining()) ch.write(big);
                return;
            }
        }
        buf.put(bytes);
    }

    private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    /** Reads the digest log's last line to continue its numbering and chain; drops a torn last line. */
    private void loadDigests() throws IOException {
        Path file = o.dir().resolve(ChainFiles.DIGESTS);
        if (!Files.exists(file)) return;
        byte[] all = Files.readAllBytes(file);
        int end = all.length;
        if (end > 0 && all[end - 1] != '\n') {
            int keep = lastIndexOf(all, end, (byte) '\n') + 1;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(keep);
            }
            end = keep;
        }
        if (end == 0) return;
        int start = lastIndexOf(all, end - 1, (byte) '\n') + 1;
        String last = new String(all, start, end - 1 - start, StandardCharsets.US_ASCII);
        Digest d = Digest.parse(last);
        digestN = d.n();
        prevDigest = ChainFiles.hex(sha.digest(last.getBytes(StandardCharsets.US_ASCII)));
    }

    private static int lastIndexOf(byte[] b, int before, byte x) {
        for (int i = before - 1; i >= 0; i--) if (b[i] == x) return i;
        return -1;
    }

    private record Recovered(byte[] head, long records, long digested) {}

    /**
     * After a crash: the last file's chain gives the head; log bytes after the last chained
     * record were never chained and are cut off (they are still in the spool and will be
     * shipped again). Chain entries are never removed, so tampering stays visible.
     */
    private Recovered recover(long n) throws IOException {
        Path logFile = o.dir().resolve(ChainFiles.logName(n));
        Path chainFile = o.dir().resolve(ChainFiles.chainName(n));
        byte[] lastHead = ChainFiles.GENESIS;
        long records = 0, lastEnd = 0;
        if (Files.exists(chainFile)) {
            byte[] all = Files.readAllBytes(chainFile);
            int complete = lastIndexOf(all, all.length, (byte) '\n') + 1;
            if (complete < all.length) {
                try (FileChannel ch = FileChannel.open(chainFile, StandardOpenOption.WRITE)) {
                    ch.truncate(complete);
                }
            }
            String[] lines = new String(all, 0, complete, StandardCharsets.US_ASCII).split("\n");
            if (lines.length > 0 && lines[0].startsWith(ChainFiles.CHAIN_MAGIC + " prev=")) {
                lastHead = ChainFiles.unhex(lines[0].substring((ChainFiles.CHAIN_MAGIC + " prev=").length()));
            }
            for (int i = 1; i < lines.length; i++) {
                int sp = lines[i].indexOf(' ');
                lastEnd = Long.parseLong(lines[i].substring(0, sp));
                lastHead = ChainFiles.unhex(lines[i].substring(sp + 1));
                records++;
            }
        }
        if (Files.exists(logFile) && Files.size(logFile) > lastEnd) {
            try (FileChannel ch = FileChannel.open(logFile, StandardOpenOption.WRITE)) {
                ch.truncate(lastEnd);
            }
        }
        long digested = 0;
        Path digests = o.dir().resolve(ChainFiles.DIGESTS);
        if (Files.exists(digests)) {
            for (String line : Files.readAllLines(digests, StandardCharsets.US_ASCII)) {
                try {
                    Digest d = Digest.parse(line);
                    if (d.file().equals(ChainFiles.logName(n))) digested = Math.max(digested, d.records());
                } catch (IllegalArgumentException ignored) {
                    // the verifier reports malformed lines
                }
            }
        }
        return new Recovered(lastHead, records, digested);
    }
}
