package dev.weir.proxy.enforce.read;

import dev.weir.protocol.model.AttributeValue;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The few decoded members of a stored item that a row filter, a client's filter and a key
 * read ({@link ShowPlan#known}), as an immutable map looked up by comparing names one after
 * another: for two or three names cheaper than hashing them, which {@code Map.of} does for
 * every map it makes (a map per item of every page). Names are distinct.
 */
final class FewMembers extends AbstractMap<String, AttributeValue> {
    private final String[] names;
    private final AttributeValue[] values;
    private final int size;

    /** Takes the arrays as they are: the caller gives them up. */
    FewMembers(String[] names, AttributeValue[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    @Override public AttributeValue get(Object key) {
        for (int i = 0; i < size; i++) if (names[i].equals(key)) return values[i];
        return null;
    }

    @Override public boolean containsKey(Object key) {
        for (int i = 0; i < size; i++) if (names[i].equals(key)) return true;
        return false;
    }

    @Override public int size() {
        return size;
    }

    @Override public Set<Entry<String, AttributeValue>> entrySet() {
        return new AbstractSet<>() {
            @Override public Iterator<Entry<String, AttributeValue>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override public boolean hasNext() {
                        return next < size;
                    }

                    @Override public Entry<String, AttributeValue> next() {
                        if (next >= size) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }

            @Override public int size() {
                return size;
            }
        };
    }
}
