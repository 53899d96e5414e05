package dev.weir.store.http;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids shaped like DynamoDB's: 52 upper-case letters and digits. */
final class RequestIds {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private RequestIds() {}

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[52];
        for (int i = 0; i < id.length; i++) id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        return new String(id);
    }
}
