package dev.weir.protocol.wire;

import java.util.zip.CRC32;

/** The {@code x-amz-crc32} response header: CRC-32 of the body, as an unsigned decimal. */
public final class Crc32 {
    public static final String HEADER = "x-amz-crc32";

    private Crc32() {}

    public static String of(byte[] body) {
        return of(body, 0, body.length);
    }

    public static String of(byte[] body, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(body, offset, length);
        return Long.toString(crc.getValue());
    }
}
