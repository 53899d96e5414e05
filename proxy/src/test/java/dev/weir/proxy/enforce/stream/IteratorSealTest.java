package dev.weir.proxy.enforce.stream;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IteratorSealTest {
    private static final SealedIterator IT = new SealedIterator("people",
            "arn:aws:dynamodb:us-east-1:000000000000:table/people/stream/2026-12-06T12:00:00.000",
            "shardId-00000001767225600000-0a1b2c3d", ViewType.NEW_AND_OLD_IMAGES, List.of("pk", "sk"),
            "upstream-iterator-000000000000000000042|secret-position");

    @Test
    void roundTripsAndHidesTheUpstreamIterator() {
        IteratorSeal seal = IteratorSeal.fromSecret("a deployment secret of some length");
        String text = seal.seal(IT);
        assertTrue(text.startsWith("weir1:"));
        // Neither the text nor its decoded bytes carry the plaintext. (A short marker such as "42" would appear in
        // random base64 by chance about once in fifteen runs, so only markers too long to occur by chance are used.)
        String decoded = new String(Base64.getUrlDecoder().decode(text.substring(6)), java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String plain : List.of("upstream-iterator", "secret-position", "people", "shardId-", "NEW_AND_OLD")) {
            assertFalse(text.contains(plain) || decoded.contains(plain), plain);
        }
        assertEquals(IT, seal.unseal(text).orElseThrow());
        assertNotEquals(text, seal.seal(IT), "a fresh nonce per iterator: two seals of one position differ");
        assertEquals(IT, IteratorSeal.fromSecret("a deployment secret of some length").unseal(text).orElseThrow(),
                "replicas with the same configured secret read each other's iterators");
    }

    @Test
    void forgedAlteredAndForeignIteratorsDoNotUnseal() {
        IteratorSeal seal = IteratorSeal.fromSecret("a deployment secret of some length");
        String text = seal.seal(IT);
        assertTrue(seal.unseal("upstream-iterator-000000000000000000042|secret-position").isEmpty(), "an upstream iterator");
        assertTrue(seal.unseal("weir1:").isEmpty());
        assertTrue(seal.unseal("weir1:!!!not base64").isEmpty());
        assertTrue(seal.unseal(null).isEmpty());
        assertTrue(IteratorSeal.random().unseal(text).isEmpty(), "another key (another deployment, or before a restart)");
        byte[] raw = Base64.getUrlDecoder().decode(text.substring(6));
        Random random = new Random(15);
        for (int i = 0; i < 200; i++) {
            byte[] altered = raw.clone();
            int at = random.nextInt(altered.length);
            altered[at] ^= (byte) (1 + random.nextInt(255));
            assertTrue(seal.unseal("weir1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(altered)).isEmpty(),
                    "a byte altered at " + at);
        }
        byte[] cut = java.util.Arrays.copyOf(raw, raw.length - 1);
        assertTrue(seal.unseal("weir1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(cut)).isEmpty());
        assertTrue(seal.unseal("weir1:" + "A".repeat(9000)).isEmpty());
    }

    @Test
    void aShortSecretIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> IteratorSeal.fromSecret("short"));
    }
}
