package dev.weir.protocol.value;

/** The UTF-8 length of text, counted without encoding it (DynamoDB's sizes and limits are in UTF-8 bytes). */
public final class Utf8 {
    private Utf8() {}

    /** Bytes of {@code s} in UTF-8; an unpaired surrogate counts as the 3 bytes of its replacement. */
    public static long length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }
}
