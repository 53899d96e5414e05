package dev.weir.proxy.enforce.request;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The members of a request tree's object ({@link BodyTree}), in the order they were put: two
 * arrays where Jackson's own {@code ObjectNode} keeps a {@code LinkedHashMap} (a map, a table and
 * an entry per member: most of a request tree's bytes, for objects of one to a few members such
 * as {@code {"S":"x"}}). Names are found by comparison while there are at most
 * {@value #SCANNED} of them, then by a hash index, so a body of many members costs no more than a
 * hash map per lookup. The {@link Map} contract in full, as {@code LinkedHashMap} keeps it
 * (insertion order, a value put again keeps its place, removal through any view), so an
 * {@code ObjectNode} over it behaves as any other: {@code ObjectMembersTest} holds it to a
 * {@code LinkedHashMap} on seeded random operations.
 */
final class ObjectMembers extends AbstractMap<String, JsonNode> {
    /** Up to this many members a name is found by comparing names; beyond it, through {@link #index}. */
    static final int SCANNED = 16;

    private String[] names;
    private JsonNode[] values;
    private int size;
    /** Each name's position, once there are more than {@link #SCANNED} members; else null. */
    private HashMap<String, Integer> index;
    private Set<Map.Entry<String, JsonNode>> entries;

    ObjectMembers() {
        names = new String[2];
        values = new JsonNode[2];
    }

    private int find(Object name) {
        if (!(name instanceof String)) return -1;
        if (index != null) {
            Integer at = index.get(name);
            return at == null ? -1 : at;
        }
        for (int k = 0; k < size; k++) if (names[k].equals(name)) return k;
        return -1;
    }

    @Override public int size() {
        return size;
    }

    @Override public boolean isEmpty() {
        return size == 0;
    }

    @Override public boolean containsKey(Object name) {
        return find(name) >= 0;
    }

    @Override public JsonNode get(Object name) {
        int at = find(name);
        return at < 0 ? null : values[at];
    }

    @Override public JsonNode put(String name, JsonNode value) {
        if (name == null) throw new NullPointerException("a member's name");
        int at = find(name);
        if (at >= 0) {
            JsonNode old = values[at];
            values[at] = value;
            return old;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        if (index != null) index.put(name, size - 1);
        else if (size > SCANNED) reindex();
        return null;
    }

    @Override public JsonNode remove(Object name) {
        int at = find(name);
        if (at < 0) return null;
        JsonNode old = values[at];
        removeAt(at);
        return old;
    }

    private void removeAt(int at) {
        System.arraycopy(names, at + 1, names, at, size - at - 1);
        System.arraycopy(values, at + 1, values, at, size - at - 1);
        size--;
        names[size] = null;
        values[size] = null;
        if (index != null) {
            if (size > SCANNED) reindex();
            else index = null;
        }
    }

    private void reindex() {
        HashMap<String, Integer> m = new HashMap<>(size * 2);
        for (int k = 0; k < size; k++) m.put(names[k], k);
        index = m;
    }

    @Override public void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        index = null;
    }

    @Override public Set<Map.Entry<String, JsonNode>> entrySet() {
        Set<Map.Entry<String, JsonNode>> e = entries;
        if (e == null) entries = e = new Entries();
        return e;
    }

    private final class Entries extends AbstractSet<Map.Entry<String, JsonNode>> {
        @Override public int size() {
            return size;
        }

        @Override public void clear() {
            ObjectMembers.this.clear();
        }

        @Override public Iterator<Map.Entry<String, JsonNode>> iterator() {
            return new Iterator<>() {
                private int next;
                private int last = -1;

                @Override public boolean hasNext() {
                    return next < size;
                }

                @Override public Map.Entry<String, JsonNode> next() {
                    if (next >= size) throw new NoSuchElementException();
                    last = next;
                    return new Member(next++);
                }

                @Override public void remove() {
                    if (last < 0) throw new IllegalStateException("next() first, and once per remove()");
                    removeAt(last);
                    next = last;
                    last = -1;
                }
            };
        }
    }

    /** One member, reading and writing through to the arrays at its position. */
    private final class Member implements Map.Entry<String, JsonNode> {
        private final int at;
        private final String name;

        Member(int at) {
            this.at = at;
            this.name = names[at];
        }

        @Override public String getKey() {
            return name;
        }

        @Override public JsonNode getValue() {
            return at < size && names[at] == name ? values[at] : ObjectMembers.this.get(name);
        }

        @Override public JsonNode setValue(JsonNode value) {
            int k = at < size && names[at] == name ? at : find(name);
            if (k < 0) throw new IllegalStateException("the member '" + name + "' was removed");
            JsonNode old = values[k];
            values[k] = value;
            return old;
        }

        @Override public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && name.equals(e.getKey()) && java.util.Objects.equals(getValue(), e.getValue());
        }

        @Override public int hashCode() {
            return name.hashCode() ^ java.util.Objects.hashCode(getValue());
        }

        @Override public String toString() {
            return name + "=" + getValue();
        }
    }
}
