package dev.weir.store.value;

import dev.weir.protocol.value.Utf8;

import dev.weir.protocol.error.DynamoException;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.value.DynamoNumber;

import java.util.Map;

/**
 * DynamoDB's item size: attribute names and strings by their UTF-8 bytes, binaries by their
 * length, numbers one byte per two significant digits plus one, BOOL and NULL one byte, maps
 * and lists three bytes plus one per element plus their contents.
 */
public final class ItemSize {
    /** DynamoDB's largest item. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {}

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) size += Utf8.length(e.getKey()) + of(e.getValue());
        return size;
    }

    public static long of(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S s -> Utf8.length(s.value());
            case AttributeValue.N n -> number(n.value());
            case AttributeValue.B b -> b.value().length();
            case AttributeValue.Bool ignored -> 1;
            case AttributeValue.Null ignored -> 1;
            case AttributeValue.M m -> {
                long size = 3;
                for (Map.Entry<String, AttributeValue> e : m.value().entrySet()) size += 1 + Utf8.length(e.getKey()) + of(e.getValue());
                yield size;
            }
            case AttributeValue.L l -> {
                long size = 3;
                for (AttributeValue el : l.value()) size += 1 + of(el);
                yield size;
            }
            case AttributeValue.SS ss -> ss.value().stream().mapToLong(Utf8::length).sum();
            case AttributeValue.NS ns -> ns.value().stream().mapToLong(ItemSize::number).sum();
            case AttributeValue.BS bs -> bs.value().stream().mapToLong(AttributeValue.Bytes::length).sum();
        };
    }

    private static long number(String text) {
        long plain = plainNumber(text);
        if (plain >= 0) return plain;
        int digits;
        try {
            digits = DynamoNumber.significantDigits(text);
        } catch (DynamoException notAStorableNumber) {
            return text.length();
        }
        if (digits == 0) return 1;
        return (digits + 1) / 2 + 1 + (DynamoNumber.isNegative(text) ? 1 : 0);
    }

    /**
     * The size of a number written as plain decimal digits (an optional '-', digits, an
     * optional fraction), counted without parsing it: the same as the rule below.
     * Returns -1 for any other form (an exponent), which {@link DynamoNumber}'s scan handles.
     */
    static long plainNumber(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int first = -1;
        int last = -1;
        int digits = 0;
        boolean dot = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (dot) return -1;
                dot = true;
            } else if (c >= '0' && c <= '9') {
                if (c != '0') {
                    if (first < 0) first = digits;
                    last = digits;
                }
                digits++;
            } else {
                return -1;
            }
        }
        if (digits == 0) return -1;
        if (first < 0) return 1;
        int significant = last - first + 1;
        return (significant + 1) / 2 + 1 + (start == 1 ? 1 : 0);
    }
}
