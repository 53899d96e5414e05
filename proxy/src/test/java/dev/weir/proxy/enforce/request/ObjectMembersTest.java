package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ObjectMembers} keeps the {@link Map} contract as {@code LinkedHashMap} does: on seeded
 * random puts, puts again, removals (by name, through an iterator, through a key view), entry
 * writes and clears, on either side of the scanned-names limit, every answer and the order of
 * every iteration are a {@code LinkedHashMap}'s; and an {@code ObjectNode} over it equals,
 * hashes and prints as one over Jackson's own map.
 */
class ObjectMembersTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void behavesAsALinkedHashMapOnSeededRandomOperations() {
        for (int seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            ObjectMembers mine = new ObjectMembers();
            Map<String, JsonNode> model = new LinkedHashMap<>();
            int names = 1 + r.nextInt(seed % 3 == 0 ? 40 : 12);
            for (int step = 0; step < 400; step++) {
                String name = "n" + r.nextInt(names);
                JsonNode value = NODES.numberNode(r.nextInt(1000));
                String what = switch (r.nextInt(20)) {
                    case 0, 1, 2, 3, 4, 5, 6, 7 -> {
                        assertEquals(model.put(name, value), mine.put(name, value), "put " + name);
                        yield "put";
                    }
                    case 8, 9 -> {
                        assertEquals(model.remove(name), mine.remove(name), "remove " + name);
                        yield "remove";
                    }
                    case 10 -> {
                        int skip = r.nextInt(model.size() + 1);
                        Iterator<Map.Entry<String, JsonNode>> a = model.entrySet().iterator(), b = mine.entrySet().iterator();
                        for (int k = 0; k < skip && a.hasNext(); k++) assertEquals(a.next(), b.next());
                        if (skip > 0 && skip <= model.size()) {
                            a.remove();
                            b.remove();
                        }
                        yield "iterator remove";
                    }
                    case 11 -> {
                        model.keySet().remove(name);
                        mine.keySet().remove(name);
                        yield "key view remove";
                    }
                    case 12 -> {
                        for (Map.Entry<String, JsonNode> e : mine.entrySet()) e.setValue(NODES.textNode(e.getKey()));
                        for (Map.Entry<String, JsonNode> e : model.entrySet()) e.setValue(NODES.textNode(e.getKey()));
                        yield "set values";
                    }
                    case 13 -> {
                        if (r.nextInt(10) == 0) {
                            model.clear();
                            mine.clear();
                        }
                        yield "clear";
                    }
                    default -> {
                        assertEquals(model.get(name), mine.get(name), "get " + name);
                        assertEquals(model.containsKey(name), mine.containsKey(name), "contains " + name);
                        yield "get";
                    }
                };
                String where = "seed " + seed + ", step " + step + " (" + what + ")";
                assertEquals(model.size(), mine.size(), where);
                assertEquals(new ArrayList<>(model.keySet()), new ArrayList<>(mine.keySet()), where);
                assertEquals(new ArrayList<>(model.values()), new ArrayList<>(mine.values()), where);
                assertEquals(model, mine, where);
                assertEquals(mine, model, where);
                assertEquals(model.hashCode(), mine.hashCode(), where);
            }
        }
    }

    @Test
    void anObjectNodeOverItIsJacksonsOwn() {
        ObjectNode mine = new ObjectNode(NODES, new ObjectMembers());
        ObjectNode theirs = NODES.objectNode();
        for (int k = 0; k < 20; k++) {
            mine.put("m" + k, k);
            theirs.put("m" + k, k);
        }
        mine.putObject("nested").put("S", "x");
        theirs.putObject("nested").put("S", "x");
        assertEquals(theirs, mine);
        assertEquals(mine, theirs);
        assertEquals(theirs.hashCode(), mine.hashCode());
        assertEquals(theirs.toString(), mine.toString());
        assertEquals(theirs, mine.deepCopy());
        mine.remove("m3");
        theirs.remove("m3");
        mine.retain("m1", "m2", "nested");
        theirs.retain("m1", "m2", "nested");
        assertEquals(theirs.toString(), mine.toString());
        assertNull(mine.get("m3"));
    }

    @Test
    void iteratorsAndNamesAreChecked() {
        ObjectMembers m = new ObjectMembers();
        assertThrows(NullPointerException.class, () -> m.put(null, NODES.nullNode()));
        m.put("a", NODES.nullNode());
        Iterator<Map.Entry<String, JsonNode>> it = m.entrySet().iterator();
        assertThrows(IllegalStateException.class, it::remove);
        it.next();
        it.remove();
        assertThrows(IllegalStateException.class, it::remove);
        assertThrows(java.util.NoSuchElementException.class, it::next);
        assertEquals(0, m.size());
        assertNull(m.get(42));
        List<String> many = new ArrayList<>();
        for (int k = 0; k < 10_000; k++) {
            m.put("k" + k, NODES.numberNode(k));
            many.add("k" + k);
        }
        assertEquals(many, new ArrayList<>(m.keySet()), "order kept past the index");
        assertEquals(NODES.numberNode(9_999), m.get("k9999"));
    }
}
