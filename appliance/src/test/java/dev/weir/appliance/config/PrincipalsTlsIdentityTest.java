package dev.weir.appliance.config;

import dev.weir.proxy.identity.CertificateName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A principal's tls_identity names its type; a wrong one is an error at its line. */
class PrincipalsTlsIdentityTest {
    static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();

    @Test
    void theSamplePrincipalsAreIdentifiedByCanonicalSubjects() throws Exception {
        List<ConfigLoader.PrincipalEntry> p = ConfigLoader.loadPrincipals(CONF.resolve("principals.yaml"));
        assertEquals(CertificateName.subject("cn=admin, ou=weir-dev, o=weir"), p.getFirst().tlsIdentity());
        assertEquals(new CertificateName(CertificateName.Type.SUBJECT, "cn=admin,ou=weir-dev,o=weir"), p.getFirst().tlsIdentity());
    }

    @Test
    void aStringIsASubjectAndAMapNamesOneType(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("principals.yaml");
        Files.writeString(f, """
                principals:
                  - {name: s, access_key_id: K1, secret_access_key: x, tls_identity: "CN=etl, OU=batch,O=Example"}
                  - {name: t, access_key_id: K2, secret_access_key: x, tls_identity: {subject: "CN=other"}}
                  - {name: d, access_key_id: K3, secret_access_key: x, tls_identity: {dns: ETL.Example.com.}}
                  - {name: u, access_key_id: K4, secret_access_key: x, tls_identity: {uri: "spiffe://example.org/etl"}}
                  - {name: e, access_key_id: K5, secret_access_key: x, tls_identity: {email: Etl@Example.COM}}
                  - {name: i, access_key_id: K6, secret_access_key: x, tls_identity: {ip: "0:0:0:0:0:0:0:1"}}
                  - {name: n, access_key_id: K7, secret_access_key: x}
                """);
        List<ConfigLoader.PrincipalEntry> p = ConfigLoader.loadPrincipals(f);
        assertEquals(List.of("subject:cn=etl,ou=batch,o=example", "subject:cn=other", "dns:etl.example.com",
                        "uri:spiffe://example.org/etl", "email:Etl@example.com", "ip:0:0:0:0:0:0:0:1"),
                p.subList(0, 6).stream().map(e -> e.tlsIdentity().toString()).toList());
        assertNull(p.get(6).tlsIdentity());
    }

    @Test
    void wrongIdentitiesAreErrorsAtTheirLine(@TempDir Path dir) throws Exception {
        String head = "principals:\n  - {name: ok, access_key_id: K0, secret_access_key: x}\n";
        String[][] cases = {
                {"  - {name: a, access_key_id: K1, secret_access_key: x, tls_identity: {dns: a.example, email: a@example.com}}",
                        "3:56: error: tls_identity is a certificate subject (a string such as \"CN=etl,OU=batch,O=Example\") or a "
                                + "map with exactly one of subject, dns, uri, email, ip (e.g. {dns: etl.example.com})"},
                {"  - {name: a, access_key_id: K1, secret_access_key: x, tls_identity: {dn: \"CN=admin\"}}",
                        "3:56: error: tls_identity names its type with one of subject, dns, uri, email, ip, not 'dn'"},
                {"  - {name: a, access_key_id: K1, secret_access_key: x, tls_identity: {dns: [a, b]}}",
                        "3:56: error: tls_identity dns must be a string"},
                {"  - {name: a, access_key_id: K1, secret_access_key: x, tls_identity: [CN=a]}",
                        "3:56: error: tls_identity is a certificate subject"},
                {"  - {name: a, access_key_id: K1, secret_access_key: x, tls_identity: \"admin\"}",
                        "3:56: error: tls_identity: not a distinguished name (RFC 2253, e.g. \"CN=etl,OU=batch,O=Example\"): admin"},
                {"  - {name: a, access_key_id: K1, secret_access_key: x, tls_identity: {ip: host.example}}",
                        "3:56: error: tls_identity: not an IP address: host.example"},
                {"  - {name: a, access_key_id: K1, secret_access_key: x, tls_identity: {email: nobody}}",
                        "3:56: error: tls_identity: not an e-mail address (local@domain): nobody"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("principals.yaml");
            Files.writeString(f, head + c[0] + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadPrincipals(f), c[0]);
            String[] lines = e.getMessage().split("\n");
            assertEquals(true, lines[0].startsWith(f + ":" + c[1]), e.getMessage());
            assertEquals(c[0].replace("secret_access_key: x", "secret_access_key: ********"), lines[1]);
            assertEquals(" ".repeat(lines[1].indexOf("tls_identity")) + "^", lines[2], "the caret under tls_identity");
        }
    }

    /** Two spellings of one subject are one identity: the second principal is refused where it says so. */
    @Test
    void oneIdentityForTwoPrincipalsIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("principals.yaml");
        Files.writeString(f, """
                principals:
                  - name: a
                    access_key_id: K1
                    secret_access_key: x
                    tls_identity: "CN=Admin,O=weir"
                  - name: b
                    access_key_id: K2
                    secret_access_key: y
                    tls_identity: "cn=admin, o=WEIR"
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadPrincipals(f));
        assertEquals(f + ":9:5: error: principal 'a' has the same tls_identity (subject:cn=admin,o=weir): a certificate "
                + "identifies one principal\n    tls_identity: \"cn=admin, o=WEIR\"\n    ^", e.getMessage());
    }
}
