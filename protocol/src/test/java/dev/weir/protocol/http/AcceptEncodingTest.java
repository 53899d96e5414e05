package dev.weir.protocol.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which coding weir answers in, for each Accept-Encoding that the ScyllaDB Alternator suite's
 * test_compressed_response.py checks against DynamoDB itself (a test that passes on DynamoDB):
 * DynamoDB's choices are the facts here.
 */
class AcceptEncodingTest {
    private static final ContentCoding NONE = ContentCoding.IDENTITY, GZIP = ContentCoding.GZIP, DEFLATE = ContentCoding.DEFLATE;

    @Test
    void choosesAsDynamoDbChooses() {
        Object[][] cases = {
                {"gzip", GZIP}, {"deflate", DEFLATE}, {"identity", NONE}, {"", NONE}, {"br", NONE}, {"zstd", NONE},
                {"compress", NONE}, {"x-gzip", NONE},
                {"gzip, deflate", GZIP}, {"br, identity, deflate, gzip", DEFLATE}, {"GZIP, identity", GZIP},
                {"dog, gzip ,, cat", GZIP}, {"gzip;q=0.8, deflate;q=0.5", GZIP},
                {"br, gzip;q=0, deflate; q = 0.5 , identity;q=0", DEFLATE},
                {"*", GZIP}, {"*, deflate;q=0.5", GZIP}, {"*, deflate", DEFLATE}, {"*, identity", GZIP}, {"*, gzip;q=0.5", DEFLATE},
                {"gzip ;q=0", NONE}, {"identity;q=0", NONE}, {"*;q=0", NONE}, {"*;q=0.5,identity", GZIP},
                {"gzip;q=0.5,identity;q=0.8", GZIP}, {"br;q=0.8,identity;q=0.5,*;q=0", NONE},
                {"\"gzip\"", NONE}, {"gzip br", NONE}, {"gzip:q=1", NONE},
                {"deflate;q=0.5, gzip;q=31", GZIP}, {"gzip;q=31,deflate;q=51", GZIP}, {"deflate;q=0.5, gzip;q=0.2", DEFLATE},
                {"deflate;q=0.5, gzip;q=1;q=0.2", GZIP}, {"deflate;q=0.5,gzip;q=0.", DEFLATE}, {"deflate;q=0.5,gzip;q=0.x", GZIP},
                {"deflate;q=-0.5,gzip;q=0.2", GZIP}, {"gzip;nq=1;q=0 ", NONE}, {"gzip;q=0, gzip;q=1, gzip;q=0", GZIP},
                {"br,identity;q=0.5,gzip;q=0.0001", GZIP},
        };
        for (Object[] c : cases) assertEquals(c[1], AcceptEncoding.choose((String) c[0]), "Accept-Encoding: " + c[0]);
        assertEquals(NONE, AcceptEncoding.choose((String) null));
    }

    @Test
    void ofSeveralHeadersTheLastCounts() {
        assertEquals(GZIP, AcceptEncoding.choose(List.of("identity", "gzip")));
        assertEquals(NONE, AcceptEncoding.choose(List.of("gzip", "identity")));
        assertEquals(NONE, AcceptEncoding.choose(List.of()));
    }
}
