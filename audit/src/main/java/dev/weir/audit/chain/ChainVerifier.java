package dev.weir.audit.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a directory written by {@link ChainedFileSink}: every record against its chain entry
 * (recomputing the chain from the records alone), the chain across files, and every digest
 * (its own chain, its signature, and the head it signs against the records). The first
 * problem names the first bad record as {@code FILE:RECORD}.
 *
 * <p>It also accounts for the events' sequence numbers (see {@link SequenceCheck}): numbers
 * missing that a gap event records as lost are reported as recorded gaps, numbers missing
 * without one as unrecorded losses. Neither is a problem of the chain: {@link Report#ok()}
 * speaks of tampering only, {@link Report#complete()} of losses weir did not record.
 */
public final class ChainVerifier {

    /** One problem; {@code file} and {@code record} (1-based; 0 when about a whole file) locate it. */
    public record Problem(String file, long record, String message) {
        @Override
        public String toString() {
            return record > 0 ? file + ":" + record + ": " + message : file + ": " + message;
        }
    }

    /** Sequence numbers {@code from}..{@code to} of {@code instance} are missing; {@code gapEvent} is the FILE:RECORD of the gap event that records them, or null. */
    public record Missing(String instance, long from, long to, String gapEvent) {
        public long count() {
            return to - from + 1;
        }

        @Override
        public String toString() {
            return instance + " " + (from == to ? Long.toString(from) : from + "-" + to)
                    + (gapEvent == null ? "" : " (gap event at " + gapEvent + ")");
        }
    }

    /**
     * @param gaps       numbers missing that a gap event records as lost
     * @param unrecorded numbers missing with no gap event: events lost without a record
     * @param repeated   records that repeat an earlier one's number (delivered again after a failure)
     */
    public record Report(List<Problem> problems, List<String> notes, int files, long records, int digests,
                         int signaturesChecked, long unsignedTail, List<Missing> gaps, List<Missing> unrecorded,
                         long repeated) {
        /** The chain and the digests hold: nothing was modified, removed, inserted or reordered. */
        public boolean ok() {
            return problems.isEmpty();
        }

        /** Every sequence number is present or recorded as lost by a gap event. */
        public boolean complete() {
            return unrecorded.isEmpty();
        }

        public long lostInGaps() {
            return gaps.stream().mapToLong(Missing::count).sum();
        }

        public long lostUnrecorded() {
            return unrecorded.stream().mapToLong(Missing::count).sum();
        }
    }

    /** Verifies DIR; with a null key, digests' signatures are not checked (and a note says so). */
    public static Report verify(Path dir, PublicKey key) throws IOException {
        return new ChainVerifier(dir, key).run();
    }

    /**
     * Verifies DIR while its sink may be writing to it (the console's check): the sink writes a
     * record before its chain entry and both before any digest that signs it, so in the newest
     * file the records after the last chain entry (a torn one included), and digests that sign
     * records or files the snapshot does not have yet, are still being written and are not
     * judged (a note says how many). Everything the chain already covers is judged as by
     * {@link #verify}: a record changed, removed, reordered or inserted before the tail is found.
     */
    public static Report verifyLive(Path dir, PublicKey key) throws IOException {
        ChainVerifier v = new ChainVerifier(dir, key);
        v.live = true;
        return v.run();
    }

    private final Path dir;
    private final PublicKey key;
    private final MessageDigest sha = ChainFiles.sha256();
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Per file: the recomputed hash after each record (index 0 is the hash the file starts from). */
    private final Map<String, List<byte[]>> recomputed = new HashMap<>();
    private long totalRecords;
    private SequenceCheck sequences;
    /** {@link #verifyLive}: the newest file's tail and digests past the snapshot are in flight. */
    private boolean live;
    private String newestFile;
    private long recordsInFlight;
    private long digestsInFlight;

    private ChainVerifier(Path dir, PublicKey key) {
        this.dir = dir;
        this.key = key;
    }

    private Report run() throws IOException {
        List<Long> numbers = ChainFiles.logNumbers(dir);
        if (numbers.isEmpty()) problems.add(new Problem(dir.toString(), 0, "no audit files (audit-NNNNNN.log)"));
        byte[] carried = null;
        long expected = numbers.isEmpty() ? 0 : numbers.getFirst();
        if (!numbers.isEmpty() && numbers.getFirst() != 1)
            notes.add("the chain starts at " + ChainFiles.logName(numbers.getFirst()) + " (earlier files were removed)");
        sequences = new SequenceCheck();
        newestFile = numbers.isEmpty() ? null : ChainFiles.logName(numbers.getLast());
        for (long n : numbers) {
            if (n != expected) {
                problems.add(new Problem(ChainFiles.logName(expected), 0, "file is missing (the numbering jumps to "
                        + ChainFiles.logName(n) + ")"));
                carried = null;
            }
            expected = n + 1;
            carried = file(n, carried, n == 1);
        }
        int[] digestCounts = digests();
        if (live && recordsInFlight + digestsInFlight > 0) {
            notes.add("verified while written: " + recordsInFlight + " records at the end of " + newestFile
                    + " (after its last chain entry) and " + digestsInFlight + " digests past this snapshot were still "
                    + "being written, not judged");
        }
        SequenceCheck.Result seq = sequences.result();
        if (seq.unchecked() > 0) {
            notes.add(seq.unchecked() + " records are not in a JSON format (ecs, ocsf): their sequence numbers were not checked");
        }
        if (seq.repeated() > 0) {
            notes.add(seq.repeated() + " records repeat an earlier record's sequence number (delivered again after a failure)");
        }
        return new Report(List.copyOf(problems), List.copyOf(notes), numbers.size(), totalRecords, digestCounts[0],
                digestCounts[1], digestCounts[2], missing(seq.recorded()), missing(seq.unrecorded()), seq.repeated());
    }

    private static List<Missing> missing(List<SequenceCheck.Missing> l) {
        return l.stream().map(m -> new Missing(m.instance(), m.from(), m.to(), m.where())).toList();
    }

    /** Checks one file; returns the hash its last record ends with (the next file's start), or null if unknown. */
    private byte[] file(long n, byte[] carried, boolean first) throws IOException {
        String name = ChainFiles.logName(n);
        Path logFile = dir.resolve(name), chainFile = dir.resolve(ChainFiles.chainName(n));
        if (!Files.exists(chainFile)) {
            problems.add(new Problem(name, 0, "its chain file " + ChainFiles.chainName(n) + " is missing"));
            return null;
        }
        List<String> chain = Files.readAllLines(chainFile, StandardCharsets.US_ASCII);
        String magic = ChainFiles.CHAIN_MAGIC + " prev=";
        if (chain.isEmpty() || !chain.getFirst().startsWith(magic)) {
            problems.add(new Problem(ChainFiles.chainName(n), 0, "bad chain header"));
            return null;
        }
        byte[] start = ChainFiles.unhex(chain.getFirst().substring(magic.length()));
        if (first && !Arrays.equals(start, ChainFiles.GENESIS)) {
            problems.add(new Problem(name, 0, "the first file does not start the chain (prev is not zero)"));
        } else if (carried != null && !Arrays.equals(start, carried)) {
            problems.add(new Problem(name, 0, "does not continue the chain of the file before it "
                    + "(records were removed from or added to the end of that file, or a file was replaced)"));
        }
        byte[] log = Files.readAllBytes(logFile);
        List<byte[]> hashes = new ArrayList<>();
        hashes.add(start);
        byte[] h = start;
        int pos = 0;
        long record = 0;
        boolean reported = false;
        while (pos < log.length) {
            int nl = indexOf(log, pos, (byte) '\n');
            record++;
            if (live && name.equals(newestFile) && (nl < 0 || record >= chain.size())) {
                // the newest file's tail: records written before their chain entries, or still being written
                record--;
                for (int i = pos; i < log.length; i++) if (log[i] == '\n') recordsInFlight++;
                if (log[log.length - 1] != '\n') recordsInFlight++;
                break;
            }
            if (nl < 0) {
                if (!reported) problems.add(new Problem(name, record, "incomplete record at the end of the file (no line feed)"));
                reported = true;
                break;
            }
            h = ChainFiles.next(sha, h, log, pos, nl - pos);
            hashes.add(h);
            sequences.record(log, pos, nl - pos, name + ":" + record);
            pos = nl + 1;
            if (reported) continue;
            if (record >= chain.size()) {
                problems.add(new Problem(name, record, "record is not in the chain (inserted or appended after the chain was written)"));
                reported = true;
                continue;
            }
            String[] entry = chain.get((int) record).split(" ");
            if (entry.length != 2 || !entry[1].equals(ChainFiles.hex(h))) {
                problems.add(new Problem(name, record, "hash does not match the chain: this record was modified, "
                        + "or records were removed, inserted or reordered here"));
                reported = true;
            } else if (Long.parseLong(entry[0]) != pos) {
                problems.add(new Problem(name, record, "record ends at byte " + pos + ", the chain says " + entry[0]));
                reported = true;
            }
        }
        long chained = chain.size() - 1;
        if (!reported && record < chained) {
            problems.add(new Problem(name, record + 1, "record is missing: the file ends after " + record
                    + " records, its chain has " + chained + " (truncated)"));
        }
        totalRecords += record;
        recomputed.put(name, hashes);
        if (chained > 0) {
            String[] last = chain.getLast().split(" ");
            return last.length == 2 ? ChainFiles.unhex(last[1]) : null;
        }
        return start;
    }

    /** Returns {digests, signatures checked, records after the last digest}. */
    private int[] digests() throws IOException {
        Path file = dir.resolve(ChainFiles.DIGESTS);
        if (!Files.exists(file)) {
            notes.add("no " + ChainFiles.DIGESTS + ": nothing is signed");
            return new int[]{0, 0, (int) totalRecords};
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        String prev = ChainFiles.hex(new byte[32]);
        int checked = 0;
        long expectN = 1;
        Map<String, Long> covered = new HashMap<>();
        Map<String, Boolean> sealed = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = ChainFiles.DIGESTS;
            Digest d;
            try {
                d = Digest.parse(lines.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(where, i + 1, "malformed digest: " + e.getMessage()));
                return new int[]{lines.size(), checked, 0};
            }
            if (d.n() != expectN || !d.prev().equals(prev)) {
                problems.add(new Problem(where, i + 1, "digest chain broken: a digest before this one was removed, "
                        + "inserted or changed"));
            }
            expectN = d.n() + 1;
            prev = ChainFiles.hex(sha.digest(lines.get(i).getBytes(StandardCharsets.US_ASCII)));
            if (key != null) {
                if (!d.verify(key)) {
                    problems.add(new Problem(where, i + 1, d.isSigned() ? "bad signature" : "digest is not signed"));
                    continue;
                }
                checked++;
            }
            List<byte[]> hashes = recomputed.get(d.file());
            boolean past = live && newestFile != null && d.file().compareTo(newestFile) >= 0;
            if (hashes == null && past) {
                digestsInFlight++;
                continue; // a digest of a file made after the snapshot
            }
            if (hashes == null) {
                problems.add(new Problem(d.file(), 0, "signed by digest " + d.n() + " but missing or unreadable"));
                continue;
            }
            long have = hashes.size() - 1;
            if (d.records() > have && past) {
                digestsInFlight++;
                continue; // it signs records of the newest file the snapshot does not have yet
            }
            if (d.records() > have) {
                problems.add(new Problem(d.file(), have + 1, "record is missing: digest " + d.n() + " signed "
                        + d.records() + " records, the file has " + have + " (truncated)"));
            } else if (!ChainFiles.hex(hashes.get((int) d.records())).equals(d.head())) {
                long from = covered.getOrDefault(d.file(), 0L) + 1;
                problems.add(new Problem(d.file(), from, "records " + from + ".." + d.records()
                        + " do not match signed digest " + d.n() + ": the records and their chain were rewritten"));
            }
            covered.merge(d.file(), d.records(), Math::max);
            if (d.fin()) sealed.put(d.file(), true);
        }
        long tail = 0;
        for (Map.Entry<String, List<byte[]>> e : recomputed.entrySet()) {
            long have = e.getValue().size() - 1;
            long cov = covered.getOrDefault(e.getKey(), 0L);
            if (sealed.containsKey(e.getKey()) && have > cov) {
                problems.add(new Problem(e.getKey(), cov + 1, "record after the file was sealed by its final digest (appended later)"));
            } else if (have > cov) {
                tail += have - cov;
            }
        }
        if (key == null) notes.add("signatures NOT checked: give the public key (--public-key FILE)");
        if (tail > 0) notes.add(tail + " records are after the last digest (chained, not yet signed)");
        return new int[]{lines.size(), checked, (int) tail};
    }

    private static int indexOf(byte[] b, int from, byte x) {
        for (int i = from; i < b.length; i++) if (b[i] == x) return i;
        return -1;
    }
}
