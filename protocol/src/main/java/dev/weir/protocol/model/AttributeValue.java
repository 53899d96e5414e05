package dev.weir.protocol.model;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One DynamoDB attribute value, of exactly one of DynamoDB's ten types. Numbers keep the
 * text the client sent; canonical numeric handling belongs to the store's number type.
 * Binary values are immutable {@link Bytes}.
 */
public sealed interface AttributeValue {

    /** The type descriptor DynamoDB uses on the wire: S, N, B, BOOL, NULL, M, L, SS, NS, BS. */
    String typeTag();

    record S(String value) implements AttributeValue {
        public String typeTag() { return "S"; }
    }

    record N(String value) implements AttributeValue {
        public String typeTag() { return "N"; }
    }

    record B(Bytes value) implements AttributeValue {
        public String typeTag() { return "B"; }
    }

    record Bool(boolean value) implements AttributeValue {
        public String typeTag() { return "BOOL"; }
    }

    record Null() implements AttributeValue {
        public String typeTag() { return "NULL"; }
    }

    record M(Map<String, AttributeValue> value) implements AttributeValue {
        public M { value = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(value)); }
        public String typeTag() { return "M"; }
    }

    record L(List<AttributeValue> value) implements AttributeValue {
        public L { value = List.copyOf(value); }
        public String typeTag() { return "L"; }
    }

    record SS(List<String> value) implements AttributeValue {
        public SS { value = List.copyOf(value); }
        public String typeTag() { return "SS"; }
    }

    record NS(List<String> value) implements AttributeValue {
        public NS { value = List.copyOf(value); }
        public String typeTag() { return "NS"; }
    }

    record BS(List<Bytes> value) implements AttributeValue {
        public BS { value = List.copyOf(value); }
        public String typeTag() { return "BS"; }
    }

    /** An immutable byte string with value equality. */
    record Bytes(byte[] array) {
        public Bytes { array = array.clone(); }

        public static Bytes ofBase64(String base64) {
            return new Bytes(Base64.getDecoder().decode(base64));
        }

        public byte[] toArray() { return array.clone(); }

        public int length() { return array.length; }

        public String base64() { return Base64.getEncoder().encodeToString(array); }

        @Override public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(array, b.array);
        }

        @Override public int hashCode() { return Arrays.hashCode(array); }

        @Override public String toString() { return "Bytes[" + array.length + "]"; }
    }
}
