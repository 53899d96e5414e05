package dev.weir.audit.chain;

import dev.weir.audit.event.AuditEvent;
import dev.weir.audit.format.EventFormat;
import dev.weir.audit.sink.AuditSink;
import dev.weir.audit.spool.SegmentChannels;

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
 * <p><b>Write failures.</b> A failed write (a full disk) may leave part of a record, of a
 * chain line or of a digest line on disk, and this object's state ahead of the files. So
 * after any failure the sink is rebuilt from the files before it is used again, exactly as
 * after a crash: log bytes without a chain entry and chain entries without their log bytes
 * are cut, a torn digest line is dropped, the file is sealed and the chain goes on in a new
 * file (an empty one is simply started again). The shipper then sends the failed batch
 * again; records that did get chained before the failure appear twice (at least once), and
 * the chain and the digests verify. Chain bytes never reach the disk before the log bytes
 * they describe.
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
    private final SegmentChannels channels;
    private boolean broken;  // a write failed: rebuild from the files before the next one
    private final MessageDigest sha = ChainFiles.sha256();
    private byte[] head = ChainFiles.GENESIS;
    private long fileNumber;
    private FileChannel log, chain;
    private final ByteBuffer logBuf = ByteBuffer.allocate(256 * 1024), chainBuf = ByteBuffer.allocate(64 * 1024);
    private long bytesInFile, recordsInFile, recordsDigested;
    private Instant fileOpened, lastDigest;
    /** When the open file is old enough to be rotated, and that instant's millisecond (checked first: it costs less). */
    private Instant rotateAt;
    private long rotateAtMillis;
    private long digestN;
    private String prevDigest = ChainFiles.hex(new byte[32]);

    public ChainedFileSink(Options options) throws IOException {
        this(options, SegmentChannels.DEFAULT);
    }

    /** As {@link #ChainedFileSink(Options)}, opening the log and chain files through {@code channels} (tests inject faults). */
    ChainedFileSink(Options options, SegmentChannels channels) throws IOException {
        this.o = options;
        this.channels = channels;
        Files.createDirectories(o.dir());
        start();
    }

    /** Continues from what the files hold (after a start, a crash or a failed write): repairs, seals, opens the next file. */
    private void start() throws IOException {
        Recovered r = repair();
        head = r == null ? ChainFiles.GENESIS : r.head;
        if (r == null) {
            fileNumber = 1;
        } else if (r.records == 0 && r.digested == 0) {
            // nothing in it: start it again rather than seal an empty file
            Files.delete(o.dir().resolve(ChainFiles.logName(r.file)));
            Files.delete(o.dir().resolve(ChainFiles.chainName(r.file)));
            fileNumber = r.file;
        } else {
            if (r.records > r.digested) digest(ChainFiles.logName(r.file), r.records, true);
            fileNumber = r.file + 1;
        }
        open();
    }

    /**
     * Makes the files consistent by cutting and deleting only, which needs no space: a torn
     * digest line goes, a last file whose chain never got its header goes, and the last file is
     * cut back to its last record that is whole in both the log and the chain. Returns what
     * the last file then holds, or null if there is none. Run on every start and right after a
     * failed write, so the directory verifies even if weir stops before the disk has room again.
     */
    private Recovered repair() throws IOException {
        loadDigests();
        List<Long> numbers = ChainFiles.logNumbers(o.dir());
        // A file whose chain never got its header was being opened when a failure came: it holds nothing.
        while (!numbers.isEmpty() && !hasHeader(numbers.getLast()) && logBytes(numbers.getLast()) == 0) {
            long n = numbers.removeLast();
            Files.deleteIfExists(o.dir().resolve(ChainFiles.logName(n)));
            Files.deleteIfExists(o.dir().resolve(ChainFiles.chainName(n)));
        }
        return numbers.isEmpty() ? null : recover(numbers.getLast());
    }

    /** After a failed write: this object's state is ahead of the files; repair the files now, rebuild the state before the next write. */
    private void failed(Exception ex) {
        broken = true;
        closeQuietly();
        try {
            repair();
        } catch (IOException | RuntimeException e) {
            ex.addSuppressed(e);
        }
    }

    @Override
    public void write(AuditEvent event) throws IOException {
        usable();
        try {
            byte[] record = o.format().encode(event);
            if (recordsInFile > 0 && (bytesInFile + record.length + 1 > o.maxFileBytes()
                    || oldEnough())) {
                rotate();
            }
            head = ChainFiles.next(sha, head, record, 0, record.length);
            bytesInFile += record.length + 1;
            recordsInFile++;
            put(log, logBuf, record);
            put(log, logBuf, NL);
            if (CHAIN_ENTRY_MAX > chainBuf.remaining()) {
                drain(log, logBuf);  // chain entries never go before their records
                drain(chain, chainBuf);
            }
            chainEntry(chainBuf, bytesInFile, head);
        } catch (IOException | RuntimeException ex) {
            failed(ex);
            throw ex;
        }
    }

    @Override
    public void flush() throws IOException {
        usable();
        try {
            sync();
            if (recordsInFile > recordsDigested && !o.clock().instant().isBefore(lastDigest.plus(o.digestInterval()))) {
                digest(ChainFiles.logName(fileNumber), recordsInFile, false);
            }
        } catch (IOException | RuntimeException ex) {
            failed(ex);
            throw ex;
        }
    }

    @Override
    public void close() throws IOException {
        if (broken) return;  // already repaired when the write failed
        try {
            sync();
            if (recordsInFile > recordsDigested) digest(ChainFiles.logName(fileNumber), recordsInFile, true);
        } catch (IOException | RuntimeException ex) {
            failed(ex);
            throw ex;
        }
        closeQuietly();
    }

    /** After a failure, rebuilds the state from the files before anything else is written. */
    private void usable() throws IOException {
        if (!broken) return;
        closeQuietly();
        logBuf.clear();
        chainBuf.clear();
        try {
            start();
        } catch (IOException | RuntimeException ex) {
            failed(ex);
            throw ex;
        }
        broken = false;
    }

    private void closeQuietly() {
        for (FileChannel ch : new FileChannel[] {log, chain}) {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // the files are recovered from what reached them
            }
        }
    }

    private boolean hasHeader(long n) throws IOException {
        Path chainFile = o.dir().resolve(ChainFiles.chainName(n));
        if (!Files.exists(chainFile)) return false;
        byte[] all = Files.readAllBytes(chainFile);
        int nl = indexOf(all, (byte) '\n');
        return nl > 0 && new String(all, 0, nl, StandardCharsets.US_ASCII).startsWith(ChainFiles.CHAIN_MAGIC + " prev=");
    }

    private long logBytes(long n) throws IOException {
        Path logFile = o.dir().resolve(ChainFiles.logName(n));
        return Files.exists(logFile) ? Files.size(logFile) : 0;
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) if (b[i] == x) return i;
        return -1;
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
        log = channels.open(logFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        chain = channels.open(o.dir().resolve(ChainFiles.chainName(fileNumber)), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        put(chain, chainBuf, (ChainFiles.CHAIN_MAGIC + " prev=" + ChainFiles.hex(head) + "\n").getBytes(StandardCharsets.US_ASCII));
        bytesInFile = 0;
        recordsInFile = 0;
        recordsDigested = 0;
        fileOpened = o.clock().instant();
        try {
            rotateAt = fileOpened.plus(o.maxFileAge());
            rotateAtMillis = rotateAt.toEpochMilli();
        } catch (java.time.DateTimeException | ArithmeticException beyondTime) {  // an age past the year 292 million: never
            rotateAt = Instant.MAX;
            rotateAtMillis = Long.MAX_VALUE;
        }
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
        try (FileChannel ch = channels.open(o.dir().resolve(ChainFiles.DIGESTS), StandardOpenOption.CREATE,
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

    /**
     * True once the open file is {@code maxFileAge} old. Asked on every record: the clock's
     * milliseconds answer it until the last millisecond, where the instant decides, as before
     * (an {@code Instant} per record was a few percent of the sink's time).
     */
    private boolean oldEnough() {
        return o.clock().millis() >= rotateAtMillis && !o.clock().instant().isBefore(rotateAt);
    }

    /** The longest chain entry: a byte count of up to 19 digits, a space, 64 hex digits and a line feed. */
    private static final int CHAIN_ENTRY_MAX = 19 + 1 + 64 + 1;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * Puts the chain entry {@code "<bytes> <hex of head>\n"} into {@code buf}, which has room for
     * it: the bytes {@code bytes + " " + ChainFiles.hex(head) + "\n"} gives, without the string
     * (issue 16: every audited request writes one).
     */
    static void chainEntry(ByteBuffer buf, long bytes, byte[] head) {
        int digits = 1;
        for (long p = 10; digits < 19 && bytes >= p; p *= 10) digits++;
        int at = buf.position() + digits;
        for (long v = bytes; at > buf.position(); v /= 10) buf.put(--at, (byte) ('0' + v % 10));
        buf.position(buf.position() + digits);
        buf.put((byte) ' ');
        for (byte b : head) {
            buf.put(HEX_DIGITS[(b >> 4) & 0xF]);
            buf.put(HEX_DIGITS[b & 0xF]);
        }
        buf.put((byte) '\n');
    }

    private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    /** Reads the digest log's last line to continue its numbering and chain; drops a torn last line. */
    private void loadDigests() throws IOException {
        digestN = 0;
        prevDigest = ChainFiles.hex(new byte[32]);
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

    private record Recovered(long file, byte[] head, long records, long digested) {}

    /**
     * After a crash or a failed write: the last file's chain gives the head; log bytes after
     * the last chained record were never chained and are cut off (they are still in the spool
     * and will be shipped again). A chain entry whose record is not all in the log (the log's
     * write failed, the chain's did not) is cut too: no digest covers it, since digests are
     * made after both files are forced. Other chain entries are never removed, so tampering
     * stays visible.
     */
    private Recovered recover(long n) throws IOException {
        Path logFile = o.dir().resolve(ChainFiles.logName(n));
        Path chainFile = o.dir().resolve(ChainFiles.chainName(n));
        byte[] lastHead = ChainFiles.GENESIS;
        long records = 0, lastEnd = 0;
        long logSize = logBytes(n);
        if (Files.exists(chainFile)) {
            byte[] all = Files.readAllBytes(chainFile);
            int complete = lastIndexOf(all, all.length, (byte) '\n') + 1;
            String[] lines = new String(all, 0, complete, StandardCharsets.US_ASCII).split("\n");
            long keep = 0;
            if (lines.length > 0 && lines[0].startsWith(ChainFiles.CHAIN_MAGIC + " prev=")) {
                lastHead = ChainFiles.unhex(lines[0].substring((ChainFiles.CHAIN_MAGIC + " prev=").length()));
                keep = lines[0].length() + 1;
            }
            for (int i = 1; i < lines.length; i++) {
                int sp = lines[i].indexOf(' ');
                long end;
                byte[] h;
                try {
                    end = Long.parseLong(lines[i].substring(0, sp));
                    h = ChainFiles.unhex(lines[i].substring(sp + 1));
                } catch (RuntimeException torn) {
                    break;
                }
                if (end > logSize || h.length != 32) break;
                lastEnd = end;
                lastHead = h;
                records++;
                keep += lines[i].length() + 1;
            }
            if (keep < all.length) {
                try (FileChannel ch = FileChannel.open(chainFile, StandardOpenOption.WRITE)) {
                    ch.truncate(keep);
                }
            }
        }
        if (logSize > lastEnd) {
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
        return new Recovered(n, lastHead, records, digested);
    }
}
