package dev.weir.protocol.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.ByteSourceJsonBootstrapper;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;

import java.io.IOException;

/**
 * {@link JsonBodies}' reader, faster on what a proxy reads most: request bodies of a few
 * hundred bytes. A factory that keeps no names between parses (CANONICALIZE_FIELD_NAMES off)
 * makes Jackson read bytes through its char-based parser: the body is first decoded into a
 * String, and every member name is a new String (hashed again by every map it goes into).
 * For a short body of well-formed UTF-8 ({@link WellFormedUtf8}, {@value #MAX_FAST_BYTES}
 * bytes at most) this factory uses Jackson's byte parser instead, with a name table made for
 * that one parse and dropped with it: still nothing kept between parses.
 *
 * <p>The result is the same tree and the same errors: on such bytes both parsers read the same
 * characters (Jackson's char path decodes with the JDK's decoder, which replaces nothing in
 * well-formed UTF-8; its byte path decodes them identically), check duplicate names with the same
 * detector in the same order, and no name can exceed the length limit in one and not the other
 * (a name's characters and its UTF-8 bytes are both fewer than the body's bytes, and the limit is
 * far above {@value #MAX_FAST_BYTES}). The table does not fail on many colliding names (it
 * rehashes instead): the char path has no such failure either. Anything else (longer bodies,
 * bytes that are not well-formed UTF-8 or hold a NUL byte, other encodings) goes the char
 * path exactly as before. ShortBodyJsonFactoryTest compares both on seeded random bodies.
 */
final class ShortBodyJsonFactory extends JsonFactory {
    /** Jackson decodes bodies up to this size into one String before parsing them; longer ones stream. */
    static final int MAX_FAST_BYTES = 8192;

    ShortBodyJsonFactory(JsonFactoryBuilder builder) {
        super(builder);
    }

    private ShortBodyJsonFactory(ShortBodyJsonFactory source) {
        super(source, null);
    }

    @Override
    public JsonFactory copy() {
        return new ShortBodyJsonFactory(this);
    }

    @Override
    protected JsonParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
        if (len > MAX_FAST_BYTES || !WellFormedUtf8.withoutNul(data, offset, len)) {
            return super._createParser(data, offset, len, ctxt);
        }
        int features = (_factoryFeatures | Feature.CANONICALIZE_FIELD_NAMES.getMask())
                & ~Feature.INTERN_FIELD_NAMES.getMask() & ~Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW.getMask();
        return new ByteSourceJsonBootstrapper(ctxt, data, offset, len)
                .constructParser(_parserFeatures, _objectCodec, ByteQuadsCanonicalizer.createRoot(), _rootCharSymbols, features);
    }

    /** Names the factory's own tables hold (they stay empty: every parse has a table of its own). */
    int keptNames() {
        return _byteSymbolCanonicalizer.size() + _rootCharSymbols.size();
    }
}
