package dev.weir.store.http;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids shaped like DynamoDB's: 52 upper-case letters and digits. */
final class RequestIds {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private RequestIds() {}

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] id = new byte[52];
        // 11 characters from each random long (36^11 < 2^63): five draws instead of 52
        long bits = 0;
        for (int i = 0; i < id.length; i++) {
            if (i % 11 == 0) bits = random.nextLong() >>> 1;
            id[i] = (byte) ALPHABET[(int) (bits % ALPHABET.length)];
            bits /= ALPHABET.length;
        }
        return new String(id, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
