package dev.weir.store.codec;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValue.Bytes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of an item: a compact binary encoding, one tag byte per value, varint
 * lengths and counts. Numbers are stored as their canonical text. The first byte is a format
 * version so the encoding can change without a migration of old values.
 */
public final class ItemCodec {
    private static final int VERSION = 1;

    private static final int S = 1, N = 2, B = 3, TRUE = 4, FALSE = 5, NULL = 6, M = 7, L = 8, SS = 9, NS = 10, BS = 11;

    private ItemCodec() {}

    public static byte[] encode(Map<String, AttributeValue> item) {
        ByteWriter out = new ByteWriter(128);
        out.write(VERSION);
        writeMap(out, item);
        return out.toByteArray();
    }

    public static Map<String, AttributeValue> decode(byte[] bytes) {
        ByteReader in = new ByteReader(bytes);
        int version = in.read();
        if (version != VERSION) throw new IllegalStateException("unknown item encoding version " + version);
        Map<String, AttributeValue> item = readMap(in);
        if (!in.atEnd()) throw new IllegalStateException("trailing bytes after item");
        return item;
    }

    private static void writeMap(ByteWriter out, Map<String, AttributeValue> map) {
        out.writeVarint(map.size());
        for (Map.Entry<String, AttributeValue> e : map.entrySet()) {
            out.writeSized(e.getKey());
            writeValue(out, e.getValue());
        }
    }

    private static void writeValue(ByteWriter out, AttributeValue value) {
        switch (value) {
            case AttributeValue.S s -> out.write(S).writeSized(s.value());
            case AttributeValue.N n -> out.write(N).writeSized(n.value());
            case AttributeValue.B b -> out.write(B).writeSized(b.value().array());
            case AttributeValue.Bool b -> out.write(b.value() ? TRUE : FALSE);
            case AttributeValue.Null ignored -> out.write(NULL);
            case AttributeValue.M m -> {
                out.write(M);
                writeMap(out, m.value());
            }
            case AttributeValue.L l -> {
                out.write(L).writeVarint(l.value().size());
                for (AttributeValue el : l.value()) writeValue(out, el);
            }
            case AttributeValue.SS ss -> {
                out.write(SS).writeVarint(ss.value().size());
                for (String s : ss.value()) out.writeSized(s);
            }
            case AttributeValue.NS ns -> {
                out.write(NS).writeVarint(ns.value().size());
                for (String s : ns.value()) out.writeSized(s);
            }
            case AttributeValue.BS bs -> {
                out.write(BS).writeVarint(bs.value().size());
                for (Bytes b : bs.value()) out.writeSized(b.array());
            }
        }
    }

    private static Map<String, AttributeValue> readMap(ByteReader in) {
        int n = in.readVarint();
        Map<String, AttributeValue> map = LinkedHashMap.newLinkedHashMap(n);
        for (int i = 0; i < n; i++) {
            String name = in.readSizedString();
            map.put(name, readValue(in));
        }
        return map;
    }

    private static AttributeValue readValue(ByteReader in) {
        int tag = in.read();
        return switch (tag) {
            case S -> new AttributeValue.S(in.readSizedString());
            case N -> new AttributeValue.N(in.readSizedString());
            case B -> new AttributeValue.B(new Bytes(in.readSized()));
            case TRUE -> new AttributeValue.Bool(true);
            case FALSE -> new AttributeValue.Bool(false);
            case NULL -> new AttributeValue.Null();
            case M -> new AttributeValue.M(readMap(in));
            case L -> {
                int n = in.readVarint();
                List<AttributeValue> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) list.add(readValue(in));
                yield new AttributeValue.L(list);
            }
            case SS -> new AttributeValue.SS(readStrings(in));
            case NS -> new AttributeValue.NS(readStrings(in));
            case BS -> {
                int n = in.readVarint();
                List<Bytes> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) list.add(new Bytes(in.readSized()));
                yield new AttributeValue.BS(list);
            }
            default -> throw new IllegalStateException("unknown value tag " + tag);
        };
    }

    private static List<String> readStrings(ByteReader in) {
        int n = in.readVarint();
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) list.add(in.readSizedString());
        return list;
    }
}
