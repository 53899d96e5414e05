package dev.weir.store.codec;

import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.value.DynamoNumber;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OrderedBytesTest {

    private static byte[] number(String text) {
        ByteWriter out = new ByteWriter();
        OrderedBytes.writeNumber(out, DynamoNumber.parse(text));
        return out.toByteArray();
    }

    private static byte[] bytes(byte[] value) {
        ByteWriter out = new ByteWriter();
        OrderedBytes.writeBytes(out, value);
        return out.toByteArray();
    }

    private static byte[] string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Sorting by encoding must give the order of {@code expected}. */
    private static <T> void assertSortsAs(List<T> expected, Function<T, byte[]> encode) {
        List<T> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(42));
        shuffled.sort(Comparator.comparing(encode, Arrays::compareUnsigned));
        assertEquals(expected, shuffled);
    }

    @Test
    void numbersSortNumerically() {
        List<String> ordered = List.of(
                "-9.9999999999999999999999999999999999999E+125", "-1e100", "-123456", "-1000", "-999.5", "-100",
                "-99", "-10.5", "-10", "-9", "-1.5", "-1.05", "-1", "-0.5", "-0.123", "-0.12", "-0.1", "-0.01",
                "-1E-130", "0", "1E-130", "1e-10", "0.00123", "0.01", "0.1", "0.12", "0.123", "0.5", "1", "1.05",
                "1.5", "2", "9", "10", "10.5", "11", "99", "100", "101", "999.5", "1000", "123456", "1.23456e7",
                "12345678901234567890123456789012345678", "1e100", "9.9999999999999999999999999999999999999E+125");
        assertSortsAs(ordered, OrderedBytesTest::number);
    }

    @Test
    void randomNumbersSortLikeBigDecimal() {
        Random random = new Random(7);
        List<BigDecimal> values = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            BigDecimal v = new BigDecimal(random.nextLong()).movePointLeft(random.nextInt(40) - 20);
            values.add(DynamoNumber.parse(v.toString()));
        }
        values = values.stream().distinct().sorted().toList();
        assertSortsAs(values, v -> number(v.toString()));
    }

    @Test
    void equalNumbersEncodeEqually() {
        assertArrayEquals(number("1"), number("1.000"));
        assertArrayEquals(number("100"), number("1E2"));
        assertArrayEquals(number("0"), number("-0.00"));
        assertArrayEquals(number("-0.5"), number("-5e-1"));
    }

    @Test
    void stringsSortByUtf8BytesWithPrefixesFirst() {
        List<String> ordered = List.of("", "\u0000", "\u0000\u0000", "\u0000a", "\u0001", "A", "Z", "a", "a\u0000",
                "a\u0000b", "a\u0001", "aa", "ab", "abc", "abd", "b", "z", "é", "\uD83D\uDE00");
        assertSortsAs(ordered, OrderedBytesTest::string);
    }

    @Test
    void binarySortsBytewiseUnsigned() {
        List<byte[]> ordered = List.of(new byte[0], new byte[]{0}, new byte[]{0, 0}, new byte[]{0, (byte) 0xFF},
                new byte[]{1}, new byte[]{1, 0}, new byte[]{0x7F}, new byte[]{(byte) 0x80}, new byte[]{(byte) 0xFE},
                new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xFF, 0}, new byte[]{(byte) 0xFF, (byte) 0xFF});
        List<List<Byte>> expected = ordered.stream().map(OrderedBytesTest::boxed).toList();
        List<byte[]> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new Random(1));
        shuffled.sort(Comparator.comparing(OrderedBytesTest::bytes, Arrays::compareUnsigned));
        assertEquals(expected, shuffled.stream().map(OrderedBytesTest::boxed).toList());
    }

    @Test
    void compositeKeysSortByHashThenRange() {
        record K(String hash, String range) {}
        List<K> ordered = List.of(new K("a", "z"), new K("a", "zz"), new K("a\u0000", "a"), new K("ab", "a"),
                new K("ab", "b"), new K("b", ""), new K("b", "a"));
        assertSortsAs(ordered, k -> KeyCodec.encode(1, new AttributeValue.S(k.hash()), new AttributeValue.S(k.range())));
    }

    @Test
    void numericRangeKeysSortWithinAPartition() {
        List<String> ordered = List.of("-20", "-3.5", "0", "2", "10", "100");
        assertSortsAs(ordered, n -> KeyCodec.encode(9, new AttributeValue.S("p"), new AttributeValue.N(n)));
    }

    @Test
    void tablesDoNotInterleave() {
        byte[] last = KeyCodec.encode(1, new AttributeValue.S("\uFFFF\uFFFF"), null);
        byte[] first = KeyCodec.encode(2, new AttributeValue.S(""), null);
        assertEquals(-1, Integer.signum(Arrays.compareUnsigned(last, first)));
    }

    private static List<Byte> boxed(byte[] b) {
        List<Byte> out = new ArrayList<>();
        for (byte x : b) out.add(x);
        return out;
    }
}
