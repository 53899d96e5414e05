package dev.weir.policy.field;

import dev.weir.policy.LoadResult;
import dev.weir.policy.Policies;
import dev.weir.policy.PolicyLoader;
import dev.weir.policy.PolicySource;
import dev.weir.policy.ast.FieldAction;
import dev.weir.policy.check.Diagnostic;
import dev.weir.policy.decision.Allowed;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.B;
import dev.weir.protocol.model.AttributeValue.BS;
import dev.weir.protocol.model.AttributeValue.Bool;
import dev.weir.protocol.model.AttributeValue.Bytes;
import dev.weir.protocol.model.AttributeValue.L;
import dev.weir.protocol.model.AttributeValue.M;
import dev.weir.protocol.model.AttributeValue.N;
import dev.weir.protocol.model.AttributeValue.NS;
import dev.weir.protocol.model.AttributeValue.Null;
import dev.weir.protocol.model.AttributeValue.S;
import dev.weir.protocol.model.AttributeValue.SS;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Masks that hold (threat model, class 8): a mask on a container shows no key, element or
 * count of it; {@code hash} is keyed; show_first / show_last hide the length.
 */
class MasksThatHoldTest {
    private static final HmacKeys KEYS = HmacKeys.forTesting();

    /** Whole-value masks whose visible output can hold no key of a generated container. */
    private static final List<FieldAction> WHOLE = List.of(new FieldAction.MaskShowFirst(3), new FieldAction.MaskShowLast(3),
            new FieldAction.Hash(), new FieldAction.Hmac("k"), new FieldAction.UnkeyedSha256(), new FieldAction.Constant("x"));

    static String hmacHex(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static FieldPlan plan(String clauses) {
        return assertInstanceOf(Allowed.class, Policies.decide(Policies.table("role a\nallow a on table t op * " + clauses + "\n"),
                Set.of("a"), "t", Operation.GetItem)).fields();
    }

    // ------------------------------------------------------------------ containers

    /** A random key that cannot occur in canonical JSON by chance: "key" and six letters. */
    private static String key(Random r, List<String> keys) {
        StringBuilder k = new StringBuilder("key");
        for (int i = 0; i < 6; i++) k.append((char) ('a' + r.nextInt(26)));
        keys.add(k.toString());
        return k.toString();
    }

    /** A random M, L, SS, NS or BS, nested up to {@code depth}; every map key goes to {@code keys}. */
    private static AttributeValue container(Random r, int depth, List<String> keys) {
        int size = 1 + r.nextInt(5);
        return switch (r.nextInt(depth > 0 ? 5 : 3)) {
            case 0 -> {
                List<String> ss = new ArrayList<>();
                for (int i = 0; i < size; i++) ss.add("v" + r.nextInt(1000) + "_" + i);
                yield new SS(ss);
            }
            case 1 -> {
                List<String> ns = new ArrayList<>();
                for (int i = 0; i < size; i++) ns.add(Integer.toString(r.nextInt(1000) * 10 + i));
                yield new NS(ns);
            }
            case 2 -> {
                List<Bytes> bs = new ArrayList<>();
                for (int i = 0; i < size; i++) bs.add(new Bytes(new byte[] {(byte) i, (byte) r.nextInt(256)}));
                yield new BS(bs);
            }
            case 3 -> {
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) m.put(key(r, keys), value(r, depth - 1, keys));
                yield new M(m);
            }
            default -> {
                List<AttributeValue> l = new ArrayList<>();
                for (int i = 0; i < size; i++) l.add(value(r, depth - 1, keys));
                yield new L(l);
            }
        };
    }

    private static AttributeValue value(Random r, int depth, List<String> keys) {
        return switch (r.nextInt(6)) {
            case 0 -> new S("s" + r.nextInt(100));
            case 1 -> new N(Integer.toString(r.nextInt(100)));
            case 2 -> new Bool(r.nextBoolean());
            case 3 -> new Null();
            default -> container(r, depth, keys);
        };
    }

    @Test
    void aMaskOnAContainerShowsNoKeyAndIsOneString() {
        Random r = new Random(8_1313);
        for (int run = 0; run < 400; run++) {
            List<String> keys = new ArrayList<>();
            AttributeValue v = container(r, 3, keys);
            for (FieldAction action : WHOLE) {
                AttributeValue out = Masking.apply(action, v, KEYS);
                S s = assertInstanceOf(S.class, out, action + " on " + v);
                for (String k : keys) assertFalse(s.value().contains(k), action + " shows key " + k + " of " + v + ": " + s);
                if (action instanceof FieldAction.Hash) assertTrue(s.value().matches("test:[0-9a-f]{64}"), s.value());
            }
            assertEquals(new N("7"), Masking.apply(new FieldAction.ConstantNumber(BigDecimal.valueOf(7)), v, KEYS));
            assertEquals(new Null(), Masking.apply(new FieldAction.Round(BigDecimal.TEN), v, KEYS));
            assertEquals(new Null(), Masking.apply(new FieldAction.Bucket(BigDecimal.TEN), v, KEYS));
        }
    }

    @Test
    void theOutputDoesNotDependOnTheNumberOfElements() {
        List<AttributeValue> small = List.of(new SS(List.of("a")), new NS(List.of("1")), new BS(List.of(new Bytes(new byte[] {1}))),
                new L(List.of(new S("a"))), new M(Map.of("keyone", new S("a"))),
                new M(Map.of("keyone", new L(List.of(new SS(List.of("a")))))));
        List<AttributeValue> large = List.of(new SS(List.of("a", "b", "c", "d")), new NS(List.of("1", "2", "3", "4")),
                new BS(List.of(new Bytes(new byte[] {1}), new Bytes(new byte[] {2}), new Bytes(new byte[] {3}))),
                new L(List.of(new S("a"), new S("b"), new S("c"))),
                new M(Map.of("keyone", new S("a"), "keytwo", new S("b"), "keythree", new S("c"))),
                new M(Map.of("keyone", new L(List.of(new SS(List.of("a", "b")), new SS(List.of("c")))), "keytwo", new Null())));
        for (FieldAction action : WHOLE) {
            for (int i = 0; i < small.size(); i++) {
                String a = ((S) Masking.apply(action, small.get(i), KEYS)).value();
                String b = ((S) Masking.apply(action, large.get(i), KEYS)).value();
                assertEquals(a.length(), b.length(), action + ": " + small.get(i) + " vs " + large.get(i));
            }
        }
    }

    @Test
    void theCanonicalTextSortsKeysAndSetElements() {
        AttributeValue a = new M(Map.of("b", new NS(List.of("10", "2", "1.5")), "a", new SS(List.of("z", "ä", "b")),
                "c", new BS(List.of(new Bytes(new byte[] {(byte) 0xff}), new Bytes(new byte[] {1})))));
        assertEquals("{\"M\":{\"a\":{\"SS\":[\"b\",\"z\",\"ä\"]},\"b\":{\"NS\":[\"1.5\",\"2\",\"10\"]},"
                + "\"c\":{\"BS\":[\"AQ==\",\"/w==\"]}}}", CanonicalText.of(a));
        Map<String, AttributeValue> reordered = new LinkedHashMap<>();
        reordered.put("c", new BS(List.of(new Bytes(new byte[] {1}), new Bytes(new byte[] {(byte) 0xff}))));
        reordered.put("a", new SS(List.of("ä", "b", "z")));
        reordered.put("b", new NS(List.of("2", "1.5", "10")));
        assertEquals(Masking.apply(new FieldAction.Hash(), a, KEYS), Masking.apply(new FieldAction.Hash(), new M(reordered), KEYS),
                "the store's order does not change a hash");
        assertEquals("{\"L\":[{\"S\":\"q\\\"\\\\\\u0001\"},{\"NULL\":true},{\"BOOL\":false},{\"B\":\"AQ==\"}]}",
                CanonicalText.of(new L(List.of(new S("q\"\\\u0001"), new Null(), new Bool(false), new B(new Bytes(new byte[] {1}))))));
    }

    @Test
    void aMaskOnAMapFromAPolicyMasksItWholeAfterRemovalsAndAllowLists() {
        Map<String, AttributeValue> item = Map.of("address", new M(Map.of("street", new S("Main 1"), "city", new S("Berlin"),
                "zip", new S("10115"))));
        byte[] test = KEYS.hashKey().orElseThrow().secret();
        String rest = "{\"M\":{\"city\":{\"S\":\"Berlin\"}}}";
        assertEquals(Map.of("address", new S("test:" + hmacHex(test, rest))),
                plan("fields [address.city] mask address hash").redact(item), "only the allow-listed key goes into the mask");
        assertEquals(Map.of("address", new S("test:" + hmacHex(test, "{\"M\":{\"city\":{\"S\":\"Berlin\"},\"zip\":{\"S\":\"10115\"}}}"))),
                plan("mask address hash remove address.street").redact(item));
        assertEquals(Map.of("address", new S("****}}}")), plan("mask address show_last(3)").redact(item));
        assertEquals(Map.of(), plan("mask address hash remove address").redact(item));
        assertEquals(Map.of("address", new Null()), plan("mask address hash null address").redact(item), "null shows NULL");
        // a stricter mask further down applies first, then the whole is masked
        String zipHashed = "{\"M\":{\"city\":{\"S\":\"Berlin\"},\"street\":{\"S\":\"Main 1\"},\"zip\":{\"S\":\"x\"}}}";
        assertEquals(Map.of("address", new S("test:" + hmacHex(test, zipHashed))),
                plan("mask address hash mask address.zip constant(\"x\")").redact(item));
        // a mask inherited from above reaches the map through a wildcard: still whole
        assertEquals(Map.of("address", new S("****")), plan("mask * show_first(0)").redact(item));
    }

    @Test
    void elementMasksMaskEachElement() {
        Map<String, AttributeValue> item = Map.of("bs", new BS(List.of(new Bytes("abc".getBytes(StandardCharsets.UTF_8)))),
                "l", new L(List.of(new M(Map.of("keysecret", new S("v"))), new SS(List.of("a", "b")), new S("abcdef"))),
                "ns", new NS(List.of("123", "456")));
        Map<String, AttributeValue> out = plan("mask bs[*] hash mask l[*] show_last(2) mask ns[*] show_first(1)").redact(item);
        byte[] test = KEYS.hashKey().orElseThrow().secret();
        assertEquals(new SS(List.of("test:" + hmacHex(test, "abc"))), out.get("bs"));
        assertEquals(new L(List.of(new S("****}}"), new S("****]}"), new S("****ef"))), out.get("l"));
        assertEquals(new NS(List.of("100", "400")), out.get("ns"), "a number set under a number mask stays NS");
        assertEquals(new SS(List.of("test:" + hmacHex(test, "123"), "test:" + hmacHex(test, "456"))),
                plan("mask ns[*] hash").redact(item).get("ns"), "under a text mask a number set becomes a string set");
        assertEquals(new NS(List.of("0")), plan("mask ns[*] constant(0)").redact(item).get("ns"), "equal masked elements merge");
    }

    // ------------------------------------------------------------------ hash

    @Test
    void hashIsKeyedStablePerKeyAndDifferentPerKey() {
        HmacKeys k1 = HmacKeys.none().withHashKey(new HashKey("k1", "one secret".getBytes(StandardCharsets.UTF_8)));
        HmacKeys k1again = HmacKeys.none().withHashKey(new HashKey("k1", "one secret".getBytes(StandardCharsets.UTF_8)));
        HmacKeys k2 = HmacKeys.none().withHashKey(new HashKey("k2", "another secret".getBytes(StandardCharsets.UTF_8)));
        FieldAction hash = new FieldAction.Hash();
        S a = (S) Masking.apply(hash, new S("ada@example.com"), k1);
        assertEquals("k1:" + hmacHex("one secret".getBytes(StandardCharsets.UTF_8), "ada@example.com"), a.value());
        assertEquals(a, Masking.apply(hash, new S("ada@example.com"), k1again), "stable under one key");
        S b = (S) Masking.apply(hash, new S("ada@example.com"), k2);
        assertTrue(b.value().startsWith("k2:"));
        assertNotEquals(a.value().substring(3), b.value().substring(3), "another key, another pseudonym");
        assertNotEquals(Masking.apply(hash, new S("ada@example.com"), k1), Masking.apply(new FieldAction.UnkeyedSha256(),
                new S("ada@example.com"), k1));
        assertThrows(IllegalStateException.class, () -> Masking.apply(hash, new S("x"), HmacKeys.none()), "no key: fail closed");
        assertEquals(Optional.of("k1"), HmacKeys.of(Map.of()).orElse(k1).hashKey().map(HashKey::id));
        assertEquals(Optional.of("k2"), k2.orElse(k1).hashKey().map(HashKey::id));
        assertThrows(IllegalArgumentException.class, () -> new HashKey("k:1", new byte[] {1}), "':' ends the id in a pseudonym");
        assertThrows(IllegalArgumentException.class, () -> new HashKey("k1", new byte[0]));
        assertFalse(new HashKey("k1", "topsecret".getBytes(StandardCharsets.UTF_8)).toString().contains("topsecret"));
        assertEquals("WEIR_HASH_KEY_K1_NEW", HashKey.environmentVariable("k1-new"));
    }

    @Test
    void aPolicyUsingHashWithoutAHashKeyDoesNotLoad() {
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("p.weir", "role a allow a on table t op * mask e hash")),
                Optional.empty(), HmacKeys.of(Map.of()));
        assertFalse(r.ok());
        assertEquals(List.of("p.weir:1:32: error: hash needs the deployment's hash key, and none is configured "
                        + "(set masking.hash_key_id in weir.yaml; the key comes from masking.hash_key_file or WEIR_HASH_KEY_<ID>)"),
                r.diagnostics().stream().map(Diagnostic::headline).toList());
        assertTrue(PolicyLoader.load(List.of(new PolicySource("p.weir", "role a allow a on table t op * mask e hash")),
                Optional.empty(), HmacKeys.none().withHashKey(new HashKey("k1", new byte[] {1}))).ok());
    }

    @Test
    void unkeyedSha256LoadsWithAWarning() {
        String text = "role a\nallow a on table t op *\n  mask email unkeyed_sha256\n";
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("p.weir", text)), Optional.empty(), HmacKeys.of(Map.of()));
        assertTrue(r.ok(), r.diagnostics()::toString);
        assertEquals(1, r.diagnostics().size());
        Diagnostic d = r.diagnostics().getFirst();
        assertEquals("p.weir:3:3: warning: unkeyed_sha256 on 'email' is a plain SHA-256: anyone can hash likely values "
                + "(a dictionary of e-mail addresses, say) and compare, so it reverses the digest; use hash, which is keyed",
                d.headline());
        assertEquals(d.headline() + "\n  mask email unkeyed_sha256\n  ^", d.render(text.lines().toList().get(2)));
    }

    @Test
    void withASchemaTheCheckerSaysWhenAContainerIsMaskedWhole() {
        var schema = dev.weir.policy.schema.SchemaLoader.parse("schema.yaml", """
                tables:
                  people:
                    attributes: {id: S, address: M, tags: SS, scores: NS, salary: N}
                """).schema().orElseThrow();
        LoadResult r = PolicyLoader.load(List.of(new PolicySource("p.weir", """
                role a
                allow a on table people op *
                  mask address hash
                  mask tags show_first(1)
                  mask scores round(10)
                  mask scores[*] bucket(100)
                  mask salary round(1000)
                """)), Optional.of(schema), KEYS);
        assertTrue(r.ok(), r.diagnostics()::toString);
        assertEquals(List.of(
                "p.weir:3:3: warning: hash masks 'address' of table people (M) as a whole, into one string",
                "p.weir:4:3: warning: show_first(1) masks 'tags' of table people (SS) as a whole, into one string;"
                        + " to mask each element write tags[*]",
                "p.weir:5:3: warning: round(10) masks 'scores' of table people (NS) as a whole, into NULL;"
                        + " to mask each element write scores[*]"),
                r.diagnostics().stream().map(Diagnostic::headline).toList());
    }

    // ------------------------------------------------------------------ show_first / show_last

    @Test
    void showFirstAndShowLastHaveAFixedLength() {
        String[] alphabet = {"a", "ü", "😀", "语", "-", "9"};
        Random r = new Random(42);
        for (int n = 0; n <= 6; n++) {
            for (int length = 0; length <= n + 5; length++) {
                StringBuilder value = new StringBuilder();
                for (int i = 0; i < length; i++) value.append(alphabet[r.nextInt(alphabet.length)]);
                String v = value.toString();
                int[] cps = v.codePoints().toArray();
                String last = ((S) Masking.apply(new FieldAction.MaskShowLast(n), new S(v), KEYS)).value();
                String first = ((S) Masking.apply(new FieldAction.MaskShowFirst(n), new S(v), KEYS)).value();
                String where = "n=" + n + " value=" + v;
                assertEquals(4 + n, last.codePointCount(0, last.length()), where);
                assertEquals(4 + n, first.codePointCount(0, first.length()), where);
                if (length <= n) {
                    assertEquals("*".repeat(4 + n), last, where + ": not shown at all");
                    assertEquals("*".repeat(4 + n), first, where);
                } else {
                    assertEquals("****" + new String(cps, length - n, n), last, where);
                    assertEquals(new String(cps, 0, n) + "****", first, where);
                }
            }
        }
    }

    @Test
    void numbersKeepTheirNumericMasks() {
        assertEquals(new N("98000"), Masking.apply(new FieldAction.MaskShowFirst(2), new N("98123"), KEYS));
        assertEquals(new N("23"), Masking.apply(new FieldAction.MaskShowLast(2), new N("98123"), KEYS));
        assertEquals(new N("1000000"), Masking.apply(new FieldAction.MaskShowFirst(1), new N("1234567"), KEYS),
                "show_first on a number reveals its magnitude, as documented");
    }
}
