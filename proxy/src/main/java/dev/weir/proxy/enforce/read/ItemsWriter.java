package dev.weir.proxy.enforce.read;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueBytes;

import java.util.Map;

/**
 * Items written one after another into a JSON array as the {@link Pager} takes them, each
 * written once: what it costs to write an item is also what measures its size (the page's
 * size counts the UTF-8 bytes of each shown item as Jackson writes it alone, see
 * {@link Pager}; {@link AttributeValueBytes} writes exactly those bytes). A writer
 * {@link #counting() that counts} keeps no items, for those that are measured but not
 * returned as shown (filtered out, projected, or a COUNT).
 */
final class ItemsWriter {
    private final AttributeValueBytes out;
    private final boolean keeps;
    private int items;

    private ItemsWriter(int capacity, boolean keeps) {
        this.out = new AttributeValueBytes(capacity);
        this.keeps = keeps;
        if (keeps) out.raw(ITEMS_OPEN, 0, ITEMS_OPEN.length);
    }

    private static final byte[] ITEMS_OPEN = "{\"Items\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * A writer that keeps the answer's bytes, {@code {"Items":[} and the items ({@link #answer});
     * starts small, most pages are.
     */
    static ItemsWriter keeping() {
        return new ItemsWriter(8 * 1024, true);
    }

    /** A writer that only measures. */
    static ItemsWriter counting() {
        return new ItemsWriter(4 * 1024, false);
    }

    /** Writes the item; returns its size written alone, in bytes. */
    long write(Map<String, AttributeValue> item) {
        if (!keeps) out.truncate(0);
        else if (items > 0) out.writeByte(',');
        items++;
        int before = out.size();
        out.item(item);
        return out.size() - before;
    }

    /** Makes room for about {@code bytes} more at once (what a store page may show), when this writer keeps its items. */
    void reserve(int bytes) {
        if (keeps) out.reserve(bytes);
    }

    /** Writes item {@code i} of a scanned store page as {@code plan} shows it; returns its size written alone, in bytes. */
    long write(ShowPlan plan, ScannedPage page, int i) {
        if (!keeps) out.truncate(0);
        else if (items > 0) out.writeByte(',');
        items++;
        int before = out.size();
        plan.write(out, page, i);
        return out.size() - before;
    }

    /**
     * The answer: {@code {"Items":[} with the items written, {@code ]}, then {@code rest} (what
     * follows the items, from its comma to the closing brace), in one array; the writer is done.
     */
    byte[] answer(byte[] rest) {
        if (!keeps) throw new IllegalStateException("a counting writer keeps no items");
        out.writeByte(']');
        out.raw(rest, 0, rest.length);
        return out.toByteArray();
    }
}
