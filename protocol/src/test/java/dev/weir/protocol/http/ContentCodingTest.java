package dev.weir.protocol.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The request codings decode exactly what the JDK's streams encode, and nothing else: a gzip
 * body with anything after its members, a member cut short or with a wrong trailer, a deflate
 * body without its zlib wrapper, or more than the limit once decoded is refused; the answers
 * weir encodes decode with the JDK's streams to the same bytes.
 */
class ContentCodingTest {
    @Test
    void requestCodingsAreNamedExactly() throws Exception {
        assertSame(ContentCoding.IDENTITY, ContentCoding.ofRequest(null));
        assertSame(ContentCoding.IDENTITY, ContentCoding.ofRequest("identity"));
        assertSame(ContentCoding.IDENTITY, ContentCoding.ofRequest(""));
        assertSame(ContentCoding.GZIP, ContentCoding.ofRequest(" GZip "));
        assertSame(ContentCoding.DEFLATE, ContentCoding.ofRequest("deflate"));
        for (String other : new String[] {"br", "x-gzip", "gzip, gzip", "gzip;q=1", "compress", "zstd"}) {
            ContentCoding.Refused r = assertThrows(ContentCoding.Refused.class, () -> ContentCoding.ofRequest(other), other);
            assertEquals(ContentCoding.Refused.Kind.UNSUPPORTED, r.kind());
        }
    }

    @Test
    void decodesWhatTheJdkEncodesAndEncodesWhatTheJdkDecodes() throws Exception {
        Random r = new Random(4096);
        for (int i = 0; i < 120; i++) {
            byte[] data = sample(r, r.nextInt(i < 10 ? 10 : 100_000));
            assertArrayEquals(data, ContentCoding.GZIP.decode(gzip(data), 1 << 24), "gzip of " + data.length);
            assertArrayEquals(data, ContentCoding.DEFLATE.decode(zlib(data), 1 << 24), "deflate of " + data.length);
            assertArrayEquals(data, new GZIPInputStream(new ByteArrayInputStream(ContentCoding.GZIP.encode(data))).readAllBytes());
            assertArrayEquals(data, new InflaterInputStream(new ByteArrayInputStream(ContentCoding.DEFLATE.encode(data))).readAllBytes());
            // several members, one after another
            int cut = data.length == 0 ? 0 : r.nextInt(data.length);
            byte[] two = concat(gzip(Arrays.copyOfRange(data, 0, cut)), gzip(Arrays.copyOfRange(data, cut, data.length)));
            assertArrayEquals(data, ContentCoding.GZIP.decode(two, 1 << 24));
        }
    }

    @Test
    void gzipHeadersWithTheirOptionalPartsAreRead() throws Exception {
        byte[] data = "{\"TableName\":\"t\"}".getBytes(StandardCharsets.UTF_8);
        byte[] plain = gzip(data);
        byte[] deflated = Arrays.copyOfRange(plain, 10, plain.length); // the data and trailer after the 10-byte header
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
        h.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'}); // FEXTRA
        h.writeBytes("name.json\0".getBytes(StandardCharsets.US_ASCII)); // FNAME
        h.writeBytes("a comment\0".getBytes(StandardCharsets.US_ASCII)); // FCOMMENT
        CRC32 crc = new CRC32();
        crc.update(h.toByteArray());
        int hcrc = (int) crc.getValue();
        h.write(hcrc);
        h.write(hcrc >>> 8); // FHCRC
        h.writeBytes(deflated);
        assertArrayEquals(data, ContentCoding.GZIP.decode(h.toByteArray(), 1024));
        byte[] badHeaderCrc = h.toByteArray();
        badHeaderCrc[10 + 5 + 10 + 10] ^= 1;
        assertMalformed(badHeaderCrc);
        byte[] reserved = plain.clone();
        reserved[3] = (byte) 0x20;
        assertMalformed(reserved);
    }

    @Test
    void anythingButExactlyTheCodingIsRefused() throws Exception {
        byte[] data = "{\"TableName\":\"t\",\"Item\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(data);
        assertMalformed(new byte[0]);
        assertMalformed(data);
        assertMalformed(concat(gz, "junk".getBytes(StandardCharsets.US_ASCII)));
        assertMalformed(concat(gz, new byte[] {0x1f, (byte) 0x8b}));
        for (int n = 1; n < gz.length; n++) assertMalformed(Arrays.copyOf(gz, n));
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1;
        assertMalformed(badCrc);
        byte[] badLength = gz.clone();
        badLength[gz.length - 4] ^= 1;
        assertMalformed(badLength);
        byte[] z = zlib(data);
        ContentCoding.Refused junk = assertThrows(ContentCoding.Refused.class,
                () -> ContentCoding.DEFLATE.decode(concat(z, new byte[] {1}), 1024));
        assertEquals(ContentCoding.Refused.Kind.MALFORMED, junk.kind());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(raw, new Deflater(6, true))) {
            d.write(data);
        }
        assertThrows(ContentCoding.Refused.class, () -> ContentCoding.DEFLATE.decode(raw.toByteArray(), 1024), "no zlib wrapper");
        assertThrows(ContentCoding.Refused.class, () -> ContentCoding.DEFLATE.decode(Arrays.copyOf(z, z.length - 1), 1024));
    }

    /** As DynamoDB decodes: bytes after the last member that start no other member are ignored; everything else as strictly. */
    @Test
    void asDynamoDbOnlyBytesAfterTheLastMemberAreIgnored() throws Exception {
        byte[] data = "{\"TableName\":\"t\",\"Item\":{}}".getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(data);
        byte[] junk = "junk".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(data, ContentCoding.GZIP.decodeAsDynamoDb(concat(gz, junk), 1024));
        assertArrayEquals(concat(data, data), ContentCoding.GZIP.decodeAsDynamoDb(concat(concat(gz, gz), junk), 1024));
        for (byte[] bad : new byte[][] {new byte[0], data, junk, Arrays.copyOf(gz, gz.length - 1), concat(gz, new byte[] {0x1f, (byte) 0x8b})}) {
            ContentCoding.Refused r = assertThrows(ContentCoding.Refused.class, () -> ContentCoding.GZIP.decodeAsDynamoDb(bad, 1024),
                    () -> bad.length + " bytes");
            assertEquals(ContentCoding.Refused.Kind.MALFORMED, r.kind());
        }
        byte[] z = zlib(data);
        assertThrows(ContentCoding.Refused.class, () -> ContentCoding.DEFLATE.decodeAsDynamoDb(concat(z, junk), 1024));
        assertEquals(ContentCoding.Refused.Kind.TOO_LARGE, assertThrows(ContentCoding.Refused.class,
                () -> ContentCoding.GZIP.decodeAsDynamoDb(concat(gz, junk), data.length - 1)).kind());
    }

    @Test
    void nothingLargerThanTheLimitComesOut() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        for (byte[] body : new byte[][] {gzip(big), zlib(big), concat(gzip(Arrays.copyOf(big, 600_000)), gzip(Arrays.copyOf(big, 600_000)))}) {
            ContentCoding coding = body[0] == 0x1f ? ContentCoding.GZIP : ContentCoding.DEFLATE;
            ContentCoding.Refused r = assertThrows(ContentCoding.Refused.class, () -> coding.decode(body, 1024 * 1024));
            assertEquals(ContentCoding.Refused.Kind.TOO_LARGE, r.kind());
        }
        assertEquals(1024 * 1024, ContentCoding.GZIP.decode(gzip(Arrays.copyOf(big, 1024 * 1024)), 1024 * 1024).length, "the limit itself is taken");
    }

    private static void assertMalformed(byte[] body) {
        ContentCoding.Refused r = assertThrows(ContentCoding.Refused.class, () -> ContentCoding.GZIP.decode(body, 1 << 20),
                () -> "refused: " + body.length + " bytes");
        assertEquals(ContentCoding.Refused.Kind.MALFORMED, r.kind());
    }

    private static byte[] sample(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : (byte) "{}\":,abcdeSNM ".charAt(r.nextInt(14));
        return b;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] zlib(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
