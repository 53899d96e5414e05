package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.protocol.wire.Utf8;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A store page of a Query or Scan read at the byte level, without an item model: where each
 * item's top-level members lie in the page's bytes, so that the {@link Pager} decodes only the
 * members its caller's view needs ({@link ShowPlan}) and copies the members it shows unchanged
 * as bytes.
 *
 * <p>A member is <em>canonical</em> when its value's bytes are exactly those
 * {@link dev.weir.protocol.model.AttributeValueBytes} writes for the value they decode to: no
 * whitespace, no escape, no four-byte UTF-8 form (Jackson writes those as escapes), no binary
 * (base64 may be written more than one way), no map with a key twice or a key that needs an
 * escape, at most {@value #MAX_DEPTH} levels. Only a canonical member is ever copied; every
 * other one is decoded by Jackson ({@link AttributeValueJson#value(JsonParser)}) while the page
 * is scanned, so a value the decoding path refuses is refused here too. An item with a member
 * name that holds an escape or a four-byte form, or a name twice (by hash: equal hashes count
 * as twice), is decoded whole by Jackson as the decoding path decodes it ({@link #isWhole}),
 * and taken through the item model: names are matched decoded, never by their bytes alone
 * ({@code "\u0073sn"} is {@code ssn}).
 *
 * <p>{@link #scan} gives null for a page that is anything but plain (not strict UTF-8, an
 * envelope member name with an escape or twice, {@code Items} not an array or an item not an
 * object, anything after the answer) and throws for one it cannot read: the decoding path
 * ({@link StoreRead#parse}) then decides, exactly as it always has. Immutable once scanned.
 */
public final class ScannedPage {
    /** Values nested deeper are left to Jackson (DynamoDB allows 32 levels). */
    static final int MAX_DEPTH = 32;
    /** Longer member names are left to Jackson (DynamoDB's limit is 65,535 UTF-8 bytes). */
    static final int MAX_NAME_BYTES = 65_536;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH = 0x8080808080808080L;
    private static final byte[] ITEMS = ascii("Items");
    private static final byte[] LAST = ascii("LastEvaluatedKey");
    private static final byte[] ITEM = ascii("Item");
    private static final byte[] NULL = ascii("null");
    private static final byte[] QUOTE_COLON = ascii("\":");
    private static final byte[] S_SET = ascii("S\":");
    private static final byte[] ULL_TRUE = ascii("ULL\":true}");
    private static final byte[] OOL_TRUE = ascii("OOL\":true}");
    private static final byte[] OOL_FALSE = ascii("OOL\":false}");
    private static final long SIX_BYTES = 0xFFFF_FFFF_FFFFL;
    private static final long S_HEAD = head("{\"S\":\"");
    private static final long N_HEAD = head("{\"N\":\"");

    final byte[] body;
    private int items;
    private int[] itemFirst;
    private int[] itemEnd;
    private Map<String, AttributeValue>[] whole;
    private int members;
    private int[] nameAt;
    private int[] nameLength;
    private int[] valueAt;
    private int[] valueLength;
    private long[] nameHash;
    private AttributeValue[] decoded;
    private Map<String, AttributeValue> lastEvaluatedKey;

    // scanning state
    private int pos;
    private boolean wide;
    /**
     * Set when a string holds bytes that are not strict UTF-8 ({@link Utf8#sequence}): the page
     * is then not scanned (see {@link #scan}). Every byte of a page the scan takes passes
     * through {@link #stringEnd} or {@link #skipString} (which check each non-ASCII byte) or
     * an ASCII-only match, so the page is checked as it is scanned, not in a pass of its own.
     */
    private boolean malformed;
    private long[] keys = new long[32];
    private final long[] seen = new long[4];
    private int keysTop;
    private JsonFactory factory;

    private ScannedPage(byte[] body) {
        // members of 40-60 bytes are common: grown at most once or twice
        this(body, Math.max(16, body.length / 1024), Math.max(64, body.length / 64));
    }

    @SuppressWarnings("unchecked")
    private ScannedPage(byte[] body, int guess, int memberGuess) {
        this.body = body;
        itemFirst = new int[guess];
        itemEnd = new int[guess];
        whole = new Map[guess];
        nameAt = new int[memberGuess];
        nameLength = new int[memberGuess];
        valueAt = new int[memberGuess];
        valueLength = new int[memberGuess];
        nameHash = new long[memberGuess];
        decoded = new AttributeValue[memberGuess];
    }

    /**
     * The page scanned; null when it is not a plain page (see the class comment).
     *
     * @throws IOException when a value is not JSON
     * @throws dev.weir.protocol.error.DynamoException when a value is refused
     */
    public static ScannedPage scan(byte[] body) throws IOException {
        ScannedPage page = new ScannedPage(body);
        if (!page.envelope() || page.malformed) return null;
        page.keys = null;
        page.factory = null;
        return page;
    }

    /**
     * A GetItem answer scanned as a page of at most one item: its {@code Item}, read as a page's
     * item is read (so the same {@link ShowPlan} shows it from its bytes), or no item when the
     * answer has none. Every other member ({@code ConsumedCapacity}, anything a store adds) is
     * only checked to be JSON, never kept: a restricted caller is shown none of them. Null when
     * the answer is not plain: not strict UTF-8, an envelope member name with an escape, an
     * {@code Item} twice or not an object, anything after the answer; the caller then reads it
     * as before ({@link ReadAnswer#showGetItemDecoded}), which answers or refuses exactly as it
     * always has.
     *
     * @throws IOException when a value is not JSON
     * @throws dev.weir.protocol.error.DynamoException when a value is refused
     */
    public static ScannedPage scanGetItem(byte[] body) throws IOException {
        ScannedPage page = new ScannedPage(body, 1, Math.max(16, body.length / 48));
        if (!page.itemEnvelope() || page.malformed) return null;
        page.keys = null;
        page.factory = null;
        return page;
    }

    /** How many items the page has. */
    public int size() {
        return items;
    }

    /** The page's length in bytes. */
    public int length() {
        return body.length;
    }

    /** The store's LastEvaluatedKey, or null. */
    public Map<String, AttributeValue> lastEvaluatedKey() {
        return lastEvaluatedKey;
    }

    /** Whether item {@code i} was decoded whole ({@link #item}) and has no members of its own here. */
    boolean isWhole(int i) {
        return whole[i] != null;
    }

    int firstMember(int i) {
        return itemFirst[i];
    }

    int endMember(int i) {
        return itemEnd[i];
    }

    int nameAt(int m) {
        return nameAt[m];
    }

    int nameLength(int m) {
        return nameLength[m];
    }

    long nameHash(int m) {
        return nameHash[m];
    }

    int valueAt(int m) {
        return valueAt[m];
    }

    int valueLength(int m) {
        return valueLength[m];
    }

    /** Whether member {@code m}'s bytes are exactly what writing its decoded value gives. */
    boolean canonical(int m) {
        return decoded[m] == null;
    }

    /** Member {@code m}'s name. */
    String name(int m) {
        return new String(body, nameAt[m], nameLength[m], StandardCharsets.UTF_8);
    }

    /** Member {@code m}'s value, decoded. */
    AttributeValue value(int m) {
        AttributeValue v = decoded[m];
        return v != null ? v : new Decoder(body, valueAt[m]).value();
    }

    /** The canonical value at {@code at} of {@code b}, decoded. */
    static AttributeValue decode(byte[] b, int at) {
        return new Decoder(b, at).value();
    }

    /**
     * Where the canonical value at {@code at} ends (the index after its last '}'): its strings
     * hold no quote or backslash, so only brackets outside them are counted.
     */
    static int canonicalEnd(byte[] b, int at) {
        int depth = 0;
        int i = at;
        while (true) {
            byte c = b[i++];
            if (c == '"') {
                while (b[i] != '"') i++;
                i++;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) return i;
            }
        }
    }

    /** Item {@code i} decoded whole: the same map the decoding path gives. */
    Map<String, AttributeValue> item(int i) {
        Map<String, AttributeValue> w = whole[i];
        if (w != null) return w;
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (int m = itemFirst[i]; m < itemEnd[i]; m++) out.put(name(m), value(m));
        return out;
    }

    /** The items decoded one by one when asked for (an immutable list). */
    List<Map<String, AttributeValue>> items() {
        return new AbstractList<>() {
            @Override public Map<String, AttributeValue> get(int i) {
                java.util.Objects.checkIndex(i, items);
                return java.util.Collections.unmodifiableMap(item(i));
            }

            @Override public int size() {
                return items;
            }
        };
    }

    /**
     * The hash of a name's UTF-8 bytes that {@link ShowPlan} looks names up by and duplicates
     * are found by: eight bytes at a time, the length mixed in. Equal hashes only ever make the
     * slower, exact path run (names are compared as bytes, equal hashes count as a name twice).
     */
    static long hash(byte[] b, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0xFF51AFD7ED558CCDL;
            h ^= h >>> 32;
        }
        int left = to - i;
        if (left > 0) {
            long tail;
            if (i + 8 <= b.length) {
                tail = (long) LONGS.get(b, i) & (-1L >>> (64 - 8 * left)); // the bytes after the name masked off
            } else {
                tail = 0;
                for (int k = to - 1; k >= i; k--) tail = (tail << 8) | (b[k] & 0xFF);
            }
            h = (h ^ tail) * 0xFF51AFD7ED558CCDL;
        }
        h ^= h >>> 29;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 32);
    }

    // ---- the scan ----

    /** What the envelope's scan does with one member's value (the scan stands at it); false: not a plain answer. */
    private interface MemberValue {
        boolean read(int nameAt, int nameEnd) throws IOException;
    }

    /**
     * The answer's envelope: one JSON object, whitespace around it and nothing after, whose
     * members' names are plain strings; each member's value read by {@code value}. False when
     * it is not such an object or a value's reading says so.
     */
    private boolean object(MemberValue value) throws IOException {
        ws();
        if (!eat('{')) return false;
        ws();
        if (!eat('}')) {
            while (true) {
                ws();
                if (!eat('"')) return false;
                int at = pos;
                int end = stringEnd(at);
                if (end < 0) return false;
                pos = end + 1;
                ws();
                if (!eat(':')) return false;
                ws();
                if (!value.read(at, end)) return false;
                ws();
                if (eat(',')) continue;
                if (eat('}')) break;
                return false;
            }
        }
        ws();
        return pos == body.length;
    }

    /** Any other member's value: checked to be JSON, never kept. */
    private boolean otherMember() throws IOException {
        int v = pos;
        int e = skipValue();
        if (e < 0) return false;
        check(v, e);
        return true;
    }

    /** A Query or Scan page's envelope: {@code Items} once, {@code LastEvaluatedKey} at most once, anything else checked. */
    private boolean envelope() throws IOException {
        boolean[] saw = new boolean[2]; // Items, LastEvaluatedKey
        return object((at, end) -> {
            if (is(at, end, ITEMS)) {
                if (saw[0]) return false;
                saw[0] = true;
                return itemArray();
            }
            if (is(at, end, LAST)) {
                if (saw[1]) return false;
                saw[1] = true;
                if (literal(NULL)) {
                    lastEvaluatedKey = null;
                } else {
                    int v = pos;
                    int e = skipValue();
                    if (e < 0) return false;
                    lastEvaluatedKey = decodeItem(v, e, "LastEvaluatedKey");
                }
                return true;
            }
            return otherMember();
        }) && saw[0];
    }

    /** A GetItem answer's envelope: {@code {"Item":{...}}} with any other members, each once or more, in any order. */
    private boolean itemEnvelope() throws IOException {
        boolean[] sawItem = new boolean[1];
        return object((at, end) -> {
            if (is(at, end, ITEM)) {
                // only the last copy of a member counts in a tree: an Item twice is left to the decoding path
                if (sawItem[0]) return false;
                sawItem[0] = true;
                return item();
            }
            return otherMember();
        });
    }

    private boolean itemArray() throws IOException {
        if (!eat('[')) return false;
        ws();
        if (eat(']')) return true;
        while (true) {
            ws();
            if (!item()) return false;
            ws();
            if (eat(',')) continue;
            return eat(']');
        }
    }

    private boolean item() throws IOException {
        int start = pos;
        if (!eat('{')) return false;
        int first = members;
        boolean plain = true;
        seen[0] = seen[1] = seen[2] = seen[3] = 0;
        ws();
        if (!eat('}')) {
            while (true) {
                ws();
                if (!eat('"')) return false;
                int at = pos;
                wide = false;
                int end = stringEnd(at);
                if (end < 0) {
                    plain = false;
                    end = skipString(at);
                    if (end < 0) return false;
                } else if (wide || end - at > MAX_NAME_BYTES) {
                    plain = false;
                }
                pos = end + 1;
                ws();
                if (!eat(':')) return false;
                ws();
                int v = pos;
                keysTop = 0;
                boolean canonical = attributeValue(0);
                if (!canonical) {
                    pos = v;
                    if (skipValue() < 0) return false;
                }
                addMember(at, end - at, v, pos - v, canonical ? null : Jackson.PENDING);
                if (plain && twice(first)) plain = false;
                ws();
                if (eat(',')) continue;
                if (eat('}')) break;
                return false;
            }
        }
        if (items == itemFirst.length) growItems();
        if (!plain) {
            members = first;
            itemFirst[items] = first;
            itemEnd[items] = first;
            whole[items] = decodeItem(start, pos, "Items");
        } else {
            for (int m = first; m < members; m++) {
                if (decoded[m] == Jackson.PENDING) decoded[m] = decodeValue(valueAt[m], valueAt[m] + valueLength[m]);
            }
            itemFirst[items] = first;
            itemEnd[items] = members;
        }
        items++;
        return true;
    }

    /**
     * Whether the member just added has the hash of an earlier member of its item (from
     * {@code first}): a 256-bit filter of the item's hashes, and the earlier hashes compared
     * only when its bit was already set.
     */
    private boolean twice(int first) {
        int m = members - 1;
        long h = nameHash[m];
        int bit = (int) h & 255;
        long mask = 1L << bit;
        if ((seen[bit >>> 6] & mask) != 0) {
            for (int j = first; j < m; j++) if (nameHash[j] == h) return true;
        }
        seen[bit >>> 6] |= mask;
        return false;
    }

    private void addMember(int at, int length, int v, int vLength, AttributeValue pending) {
        if (members == nameAt.length) growMembers();
        nameAt[members] = at;
        nameLength[members] = length;
        valueAt[members] = v;
        valueLength[members] = vLength;
        nameHash[members] = hash(body, at, at + length);
        decoded[members] = pending;
        members++;
    }

    /**
     * Whether the value at {@link #pos} is a canonical attribute value (then {@link #pos} is
     * past it); false leaves {@link #pos} anywhere.
     */
    private boolean attributeValue(int depth) {
        if (depth > MAX_DEPTH) return false;
        byte[] b = body;
        int p = pos;
        if (p + 8 > b.length) return false; // shorter than {"S":""}, the shortest canonical value
        long head = (long) LONGS.get(b, p) & SIX_BYTES;
        if (head == S_HEAD || head == N_HEAD) { // most values: {"S":" or {"N":", six bytes in one compare
            pos = p + 6;
            return stringBody() && eat('}');
        }
        if (b[p] != '{' || b[p + 1] != '"') return false;
        switch (b[p + 2]) {
            case 'S' -> {
                pos = p + 3;
                return literal(S_SET) && strings() && eat('}');
            }
            case 'N' -> {
                pos = p + 3;
                if (b[p + 3] == 'S') return literal(S_SET) && strings() && eat('}');
                return literal(ULL_TRUE);
            }
            case 'B' -> {
                pos = p + 3;
                return literal(OOL_TRUE) || literal(OOL_FALSE);
            }
            case 'M' -> {
                pos = p + 3;
                return literal(QUOTE_COLON) && map(depth) && eat('}');
            }
            case 'L' -> {
                pos = p + 3;
                return literal(QUOTE_COLON) && list(depth) && eat('}');
            }
            default -> {
                return false;
            }
        }
    }

    /** A canonical map's body, {@code {"k":v,...}}: keys need no escape and none is there twice. */
    private boolean map(int depth) {
        if (!eat('{')) return false;
        if (eat('}')) return true;
        int mark = keysTop;
        try {
            while (true) {
                if (!eat('"')) return false;
                int at = pos;
                wide = false;
                int end = stringEnd(at);
                if (end < 0 || wide || end - at > MAX_NAME_BYTES) return false;
                pushKey(hash(body, at, end));
                pos = end + 1;
                if (!eat(':') || !attributeValue(depth + 1)) return false;
                if (eat(',')) continue;
                if (!eat('}')) return false;
                return !duplicates(keys, mark, keysTop);
            }
        } finally {
            keysTop = mark;
        }
    }

    private boolean list(int depth) {
        if (!eat('[')) return false;
        if (eat(']')) return true;
        while (true) {
            if (!attributeValue(depth + 1)) return false;
            if (eat(',')) continue;
            return eat(']');
        }
    }

    private boolean strings() {
        if (!eat('[')) return false;
        if (eat(']')) return true;
        while (true) {
            if (!string()) return false;
            if (eat(',')) continue;
            return eat(']');
        }
    }

    /** A canonical string at {@link #pos}: no escape, no control character, no four-byte form. */
    private boolean string() {
        return eat('"') && stringBody();
    }

    /** {@link #string} after its opening quote. */
    private boolean stringBody() {
        wide = false;
        int end = stringEnd(pos);
        if (end < 0 || wide) return false;
        pos = end + 1;
        return true;
    }

    /**
     * The index of the quote that ends the string whose text starts at {@code from}, or -1 when
     * the text has an escape or a control character (or no end); sets {@link #wide} when it has
     * a four-byte form. Eight ASCII bytes at a time.
     */
    private int stringEnd(int from) {
        byte[] b = body;
        int n = b.length;
        int i = from;
        while (true) {
            // eight bytes at a time while they hold no quote, backslash, control or non-ASCII byte
            while (i + 8 <= n) {
                if ((stops((long) LONGS.get(b, i)) & HIGH) != 0) break;
                i += 8;
            }
            int stop = Math.min(n, i + 8);
            while (i < stop) {
                int c = b[i];
                if (c == '"') return i;
                if (c == '\\' || (c >= 0 && c < 0x20)) return -1;
                if (c >= 0) {
                    i++;
                } else {
                    int length = sequence(i);
                    if (length == 0) return -1;
                    if (length == 4) wide = true;
                    i += length;
                }
            }
            if (i >= n) return -1;
        }
    }

    /** The length of the strict UTF-8 sequence at {@code i} ({@link Utf8#sequence}); 0, and the page {@link #malformed}, when there is none. */
    private int sequence(int i) {
        int length = Utf8.sequence(body, i, body.length);
        if (length == 0) malformed = true;
        return length;
    }

    /**
     * A high bit in some byte of the result when one of the eight bytes of {@code x} is a
     * quote, a backslash, a control character or not ASCII (and only then: which byte is
     * flagged may be off, only "any" is asked). {@code x ^ 0x02} takes the quote to 0x20 and
     * keeps the control characters below it, so one "less than 0x21" test finds both (the
     * word-at-a-time "has less" and "has zero" tests, exact as predicates for bounds up to 0x80).
     */
    static long stops(long x) {
        long quoteOrControl = x ^ 0x0202020202020202L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        return ((quoteOrControl - 0x2121212121212121L) & ~quoteOrControl)
                | ((backslash - 0x0101010101010101L) & ~backslash) | x;
    }

    /** The index of the quote ending a string that may have escapes, or -1; Jackson judges the escapes. */
    private int skipString(int from) {
        byte[] b = body;
        int n = b.length;
        int i = from;
        while (i < n) {
            byte c = b[i];
            if (c == '"') return i;
            if (c == '\\') {
                if (i + 1 < n && b[i + 1] < 0) return -1; // no escape of a non-ASCII byte is JSON
                i += 2;
            } else if (c >= 0) {
                i++;
            } else {
                int length = sequence(i);
                if (length == 0) return -1;
                i += length;
            }
        }
        return -1;
    }

    /**
     * Skips one JSON value of any form at {@link #pos}, returning where it ends (or -1): only to
     * find its end; Jackson reads what lies between ({@link #decodeValue}, {@link #check}).
     */
    private int skipValue() {
        byte[] b = body;
        int n = b.length;
        int depth = 0;
        while (pos < n) {
            byte c = b[pos];
            switch (c) {
                case ' ', '\t', '\n', '\r', ':', ',' -> {
                    if (depth == 0) return -1;
                    pos++;
                }
                case '{', '[' -> {
                    depth++;
                    pos++;
                }
                case '}', ']' -> {
                    if (depth == 0) return -1;
                    depth--;
                    pos++;
                    if (depth == 0) return pos;
                }
                case '"' -> {
                    int e = skipString(pos + 1);
                    if (e < 0) return -1;
                    pos = e + 1;
                    if (depth == 0) return pos;
                }
                default -> {
                    int s = pos;
                    while (pos < n && scalar(b[pos])) pos++;
                    if (pos == s) return -1;
                    if (depth == 0) return pos;
                }
            }
        }
        return -1;
    }

    private static boolean scalar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
    }

    private void ws() {
        byte[] b = body;
        while (pos < b.length) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    private boolean eat(char c) {
        if (pos < body.length && body[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Matches ASCII text at {@link #pos}, moving past it when it is there. */
    private boolean literal(byte[] text) {
        int n = text.length;
        if (pos + n > body.length) return false;
        for (int i = 0; i < n; i++) if (body[pos + i] != text[i]) return false;
        pos += n;
        return true;
    }

    /** The first eight bytes of {@code text} read as {@link #LONGS} reads them, masked to six. */
    private static long head(String text) {
        byte[] t = Arrays.copyOf(ascii(text), 8);
        return (long) LONGS.get(t, 0) & SIX_BYTES;
    }

    private boolean is(int from, int to, byte[] name) {
        return Arrays.equals(body, from, to, name, 0, name.length);
    }

    private void pushKey(long h) {
        if (keysTop == keys.length) keys = Arrays.copyOf(keys, keysTop * 2);
        keys[keysTop++] = h;
    }

    /** Whether two of {@code h[from..to)} are equal. */
    static boolean duplicates(long[] h, int from, int to) {
        int n = to - from;
        if (n < 2) return false;
        if (n <= 16) {
            for (int i = from + 1; i < to; i++) {
                for (int j = from; j < i; j++) if (h[i] == h[j]) return true;
            }
            return false;
        }
        long[] sorted = Arrays.copyOfRange(h, from, to);
        Arrays.sort(sorted);
        for (int i = 1; i < n; i++) if (sorted[i] == sorted[i - 1]) return true;
        return false;
    }

    // ---- what Jackson reads ----

    private JsonParser parser(int from, int to) throws IOException {
        if (factory == null) factory = JsonBodies.byteFactory();
        JsonParser p = factory.createParser(body, from, to - from);
        p.nextToken();
        return p;
    }

    private AttributeValue decodeValue(int from, int to) throws IOException {
        try (JsonParser p = parser(from, to)) {
            AttributeValue v = AttributeValueJson.value(p);
            if (p.nextToken() != null) throw new IOException("more than one value");
            return v;
        }
    }

    private Map<String, AttributeValue> decodeItem(int from, int to, String what) throws IOException {
        try (JsonParser p = parser(from, to)) {
            Map<String, AttributeValue> item = AttributeValueJson.item(p, what);
            if (p.nextToken() != null) throw new IOException("more than one value");
            return item;
        }
    }

    /** Checks that the bytes are one JSON value (a member of the answer weir does not read). */
    private void check(int from, int to) throws IOException {
        try (JsonParser p = parser(from, to)) {
            p.skipChildren();
            if (p.nextToken() != null) throw new IOException("more than one value");
        }
    }

    private void growItems() {
        int n = itemFirst.length * 2;
        itemFirst = Arrays.copyOf(itemFirst, n);
        itemEnd = Arrays.copyOf(itemEnd, n);
        whole = Arrays.copyOf(whole, n);
    }

    private void growMembers() {
        int n = nameAt.length * 2;
        nameAt = Arrays.copyOf(nameAt, n);
        nameLength = Arrays.copyOf(nameLength, n);
        valueAt = Arrays.copyOf(valueAt, n);
        valueLength = Arrays.copyOf(valueLength, n);
        nameHash = Arrays.copyOf(nameHash, n);
        decoded = Arrays.copyOf(decoded, n);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Marks, while an item is scanned, a member Jackson is to decode once the item is known to be plain. */
    private static final class Jackson {
        static final AttributeValue PENDING = new AttributeValue.Null();
    }

    /** Decodes a canonical value (known to be well-formed: no checks, no escapes). */
    private static final class Decoder {
        private final byte[] b;
        private int at;

        Decoder(byte[] b, int at) {
            this.b = b;
            this.at = at;
        }

        AttributeValue value() {
            at += 2; // {"
            AttributeValue v = switch (b[at]) {
                case 'S' -> {
                    if (b[at + 1] == '"') {
                        at += 3;
                        yield new AttributeValue.S(string());
                    }
                    at += 4;
                    yield new AttributeValue.SS(strings());
                }
                case 'N' -> {
                    if (b[at + 1] == '"') {
                        at += 3;
                        yield new AttributeValue.N(string());
                    }
                    if (b[at + 1] == 'S') {
                        at += 4;
                        yield new AttributeValue.NS(strings());
                    }
                    at += 10; // NULL":true
                    yield new AttributeValue.Null();
                }
                case 'B' -> {
                    boolean t = b[at + 6] == 't';
                    at += t ? 10 : 11; // BOOL":true or BOOL":false
                    yield new AttributeValue.Bool(t);
                }
                case 'M' -> {
                    at += 3;
                    yield new AttributeValue.M(map());
                }
                case 'L' -> {
                    at += 3;
                    yield new AttributeValue.L(list());
                }
                default -> throw new IllegalStateException("not a canonical value at " + at);
            };
            at++; // }
            return v;
        }

        private String string() {
            int from = at + 1;
            int end = from;
            while (b[end] != '"') end++;
            at = end + 1;
            return new String(b, from, end - from, StandardCharsets.UTF_8);
        }

        private List<String> strings() {
            List<String> out = new ArrayList<>();
            at++; // [
            if (b[at] == ']') {
                at++;
                return out;
            }
            while (true) {
                out.add(string());
                if (b[at++] == ']') return out;
            }
        }

        private Map<String, AttributeValue> map() {
            Map<String, AttributeValue> out = new LinkedHashMap<>();
            at++; // {
            if (b[at] == '}') {
                at++;
                return out;
            }
            while (true) {
                String key = string();
                at++; // :
                out.put(key, value());
                if (b[at++] == '}') return out;
            }
        }

        private List<AttributeValue> list() {
            List<AttributeValue> out = new ArrayList<>();
            at++; // [
            if (b[at] == ']') {
                at++;
                return out;
            }
            while (true) {
                out.add(value());
                if (b[at++] == ']') return out;
            }
        }
    }
}
