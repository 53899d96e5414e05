package dev.weir.proxy.identity;

import dev.weir.protocol.sigv4.Credentials;
import dev.weir.protocol.sigv4.HttpRequestView;
import dev.weir.protocol.sigv4.SigV4Signer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.weir.proxy.identity.TestCertificates.dirName;
import static dev.weir.proxy.identity.TestCertificates.dns;
import static dev.weir.proxy.identity.TestCertificates.email;
import static dev.weir.proxy.identity.TestCertificates.ip;
import static dev.weir.proxy.identity.TestCertificates.issue;
import static dev.weir.proxy.identity.TestCertificates.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A certificate identifies a principal only through a name of the type the principals file
 * gives: subjects compared as canonical distinguished names, each SAN only against an
 * identity of its own type, DirName and other SANs never.
 */
class CertificateIdentityTest {
    private static final String ADMIN_DN = "CN=admin,OU=weir-dev,O=weir";
    private static final Principal ADMIN = principal("admin", "AKIAADMIN", CertificateName.subject(ADMIN_DN));
    private static final Principal ETL = principal("etl", "AKIAETL", new CertificateName(CertificateName.Type.DNS, "etl.example.com"));
    private static final Principal MAIL = principal("mail", "AKIAMAIL", new CertificateName(CertificateName.Type.EMAIL, "ops@example.com"));
    private static final Principal NET = principal("net", "AKIANET", new CertificateName(CertificateName.Type.IP, "10.1.2.3"));
    private static final Principal SPIFFE = principal("spiffe", "AKIASPIFFE",
            new CertificateName(CertificateName.Type.URI, "spiffe://example.org/etl"));
    private static final PrincipalDirectory DIRECTORY = new PrincipalDirectory(List.of(ADMIN, ETL, MAIL, NET, SPIFFE));

    @Test
    void aDirNameSanEqualToTheAdminsSubjectIsNotTheAdmin() throws Exception {
        TlsPeer mallory = TlsPeer.of(issue("CN=mallory,OU=weir-dev,O=weir", dirName(ADMIN_DN)));
        assertEquals(List.of(), DIRECTORY.byTlsPeer(mallory));
        assertEquals(List.of(), mallory.subjectAltNames(), "a DirName is not shown to policies either");
        TlsPeer alsoDns = TlsPeer.of(issue("CN=mallory,OU=weir-dev,O=weir", dirName(ADMIN_DN), dns("mallory.example")));
        assertEquals(List.of(), DIRECTORY.byTlsPeer(alsoDns));
        assertEquals(List.of("mallory.example"), alsoDns.subjectAltNames());
        Identifier.Unknown refused = assertInstanceOf(Identifier.Unknown.class, identifier().identify(unsigned(), mallory));
        assertEquals("MissingAuthenticationTokenException", refused.error().shortType());
    }

    @Test
    void theSubjectIsComparedAsACanonicalDistinguishedName() throws Exception {
        for (String spelling : List.of(ADMIN_DN, "cn=Admin, ou=WEIR-DEV, o=weir", "CN=admin,  OU=weir-dev,O=weir")) {
            assertEquals(List.of(ADMIN), DIRECTORY.byTlsPeer(TlsPeer.of(issue(spelling))), spelling);
        }
        assertEquals(List.of(), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=admin,OU=weir-dev,O=weir,C=DE"))));
        assertEquals(List.of(), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=admin,OU=weir-dev+OU=x,O=weir"))));
        Identifier.Known known = assertInstanceOf(Identifier.Known.class, identifier().identify(unsigned(), TlsPeer.of(issue(ADMIN_DN))));
        assertEquals("admin", known.principal().name());
    }

    @Test
    void aDnsSanMatchesOnlyADnsIdentity() throws Exception {
        assertEquals(List.of(ETL), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=x", dns("ETL.example.com")))));
        assertEquals(List.of(ETL), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=x", dns("etl.example.com.")))));
        for (var other : List.of(uri("dns:etl.example.com"), email("etl.example.com"), email("etl@etl.example.com"),
                dirName("CN=etl.example.com"))) {
            assertEquals(List.of(), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=etl.example.com", other))), other.toString());
        }
        // an IP address written as a DNS name is not the IP identity, the iPAddress SAN is
        assertEquals(List.of(), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=x", dns("10.1.2.3")))));
        assertEquals(List.of(NET), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=x", ip("10.1.2.3")))));
        assertEquals(List.of(SPIFFE), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=x", uri("spiffe://example.org/etl")))));
    }

    @Test
    void anEmailSanEqualToADnsIdentityStringDoesNotMatch() throws Exception {
        assertEquals(List.of(), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=x", email("etl.example.com")))));
        assertEquals(List.of(), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=x", dns("ops@example.com")))));
        assertEquals(List.of(MAIL), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=x", email("ops@EXAMPLE.com")))));
        assertEquals(List.of(), DIRECTORY.byTlsPeer(TlsPeer.of(issue("CN=x", email("OPS@example.com")))), "the local part is exact");
    }

    @Test
    void aCertificateNamingTwoPrincipalsIdentifiesNeither() throws Exception {
        TlsPeer both = TlsPeer.of(issue(ADMIN_DN, dns("etl.example.com")));
        assertEquals(List.of(ADMIN, ETL), DIRECTORY.byTlsPeer(both));
        Identifier.Unknown refused = assertInstanceOf(Identifier.Unknown.class, identifier().identify(unsigned(), both));
        assertEquals("AccessDeniedException", refused.error().shortType());
        Identifier.Unknown signed = assertInstanceOf(Identifier.Unknown.class,
                identifier().identify(signed("AKIAETL", "secret-etl"), both));
        assertEquals("AccessDeniedException", signed.error().shortType());
    }

    @Test
    void aSignedRequestMustBeSignedByTheCertificatesPrincipal() throws Exception {
        TlsPeer etl = TlsPeer.of(issue("CN=x", dns("etl.example.com")));
        assertEquals("etl", assertInstanceOf(Identifier.Known.class,
                identifier().identify(signed("AKIAETL", "secret-etl"), etl)).principal().name());
        assertEquals("AccessDeniedException", assertInstanceOf(Identifier.Unknown.class,
                identifier().identify(signed("AKIAADMIN", "secret-admin"), etl)).error().shortType());
    }

    @Test
    void namesAreCanonicalAndWrongOnesAreRefused() {
        assertEquals(CertificateName.subject("cn=a,o=b"), CertificateName.subject("CN=A, O=B"));
        assertEquals("etl.example.com", new CertificateName(CertificateName.Type.DNS, "ETL.Example.COM.").value());
        assertEquals("Ops@example.com", new CertificateName(CertificateName.Type.EMAIL, "Ops@EXAMPLE.com").value());
        assertEquals("0:0:0:0:0:0:0:1", new CertificateName(CertificateName.Type.IP, "::1").value());
        for (String[] bad : new String[][] {{"SUBJECT", "admin"}, {"SUBJECT", ""}, {"DNS", "a b"}, {"DNS", "a:b"}, {"DNS", "cn=admin,o=weir"},
                {"EMAIL", "nobody"}, {"URI", "no scheme"}, {"IP", "host.example"}}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new CertificateName(CertificateName.Type.valueOf(bad[0]), bad[1]), bad[0] + " " + bad[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> new PrincipalDirectory(List.of(ADMIN,
                principal("twin", "AKIATWIN", CertificateName.subject("cn=ADMIN, ou=weir-dev, o=weir")))));
    }

    private static Identifier identifier() {
        return new Identifier(DIRECTORY, Clock.systemUTC());
    }

    private static Principal principal(String name, String key, CertificateName tls) {
        return new Principal(name, key, "secret-" + name, tls, List.of(name), Map.of());
    }

    private static HttpRequestView unsigned() {
        return new HttpRequestView("POST", "/", "", List.of(Map.entry("Host", "h"),
                Map.entry("X-Amz-Target", "DynamoDB_20120810.ListTables")), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequestView signed(String key, String secret) {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Host", "h"),
                Map.entry("Content-Type", "application/x-amz-json-1.0"), Map.entry("X-Amz-Target", "DynamoDB_20120810.ListTables")));
        headers.addAll(new SigV4Signer(new Credentials(key, secret), "us-east-1", "dynamodb").sign("POST", "/", headers, body,
                Instant.now()));
        return new HttpRequestView("POST", "/", "", headers, body);
    }
}
