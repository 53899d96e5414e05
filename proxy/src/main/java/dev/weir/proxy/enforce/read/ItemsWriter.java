package dev.weir.proxy.enforce.read;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.wire.JsonBodies;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Items written one after another into a JSON array as the {@link Pager} takes them, each
 * written once: what it costs to write an item is also what measures its size (the page's
 * size counts the UTF-8 bytes of each shown item as Jackson writes it alone, see
 * {@link Pager}). The same bytes as writing each item alone: one generator, no pretty
 * printer, so an item after the first is preceded by exactly one comma, which its size
 * leaves out. A writer {@link #counting() that counts} keeps no bytes, for items that are
 * measured but not returned as shown (filtered out, projected, or a COUNT).
 */
final class ItemsWriter {
    /** Reads answers whose member names are attribute names clients wrote: keeps none of them between parses. */
    private static final ObjectMapper JSON = JsonBodies.mapper();

    private final ByteArrayBuilder kept;
    private final Counting counted;
    private final JsonGenerator g;
    private int items;

    private ItemsWriter(ByteArrayBuilder kept, Counting counted) {
        this.kept = kept;
        this.counted = counted;
        try {
            this.g = JSON.getFactory().createGenerator(kept != null ? kept : counted);
            g.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writer that keeps the array's bytes ({@link #array}). */
    static ItemsWriter keeping() {
        return new ItemsWriter(new ByteArrayBuilder(), null);
    }

    /** A writer that only measures. */
    static ItemsWriter counting() {
        return new ItemsWriter(null, new Counting());
    }

    /** Writes the item; returns its size written alone, in bytes. */
    long write(Map<String, AttributeValue> item) {
        try {
            long before = position();
            AttributeValueJson.write(g, item);
            return position() - before - (items++ > 0 ? 1 : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many items were written. */
    int items() {
        return items;
    }

    /** The array of the items written, {@code [...]}; the writer is done. */
    byte[] array() {
        if (kept == null) throw new IllegalStateException("a counting writer keeps no bytes");
        try (g) {
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kept.toByteArray();
    }

    private long position() {
        return (kept != null ? kept.size() : counted.bytes) + g.getOutputBuffered();
    }

    /** Counts what is written, keeps nothing. */
    private static final class Counting extends OutputStream {
        long bytes;

        @Override public void write(int b) {
            bytes++;
        }

        @Override public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
