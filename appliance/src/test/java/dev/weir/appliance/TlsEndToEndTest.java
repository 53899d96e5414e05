package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.bouncycastle.asn1.x509.GeneralName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weir up --tls}: HTTPS with a development CA, client certificates as identity. */
class TlsEndToEndTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    static Path home;
    static ApplianceProcess weir;
    static Path tls;

    @BeforeAll
    static void start() throws Exception {
        // The sample principals, and one identified by a DNS name in its certificate.
        Path principals = home.resolve("principals.yaml");
        Files.createDirectories(home);
        Files.writeString(principals, Files.readString(ApplianceProcess.CONF.resolve("principals.yaml")) + """

                  - name: etl
                    tls_identity: {dns: etl.example.com}
                    access_key_id: AKIAWEIRETLDNS000001
                    secret_access_key: weir-etl-secret
                    roles: [support]
                """);
        weir = ApplianceProcess.startWith(home, ApplianceProcess.CONF.resolve("policies"), principals, "--tls");
        tls = home.resolve("tls");
        DevCaIssuer.issue(tls, "mallory", "CN=mallory,OU=weir-dev,O=weir", DevCaIssuer.dirName("CN=admin,OU=weir-dev,O=weir"));
        DevCaIssuer.issue(tls, "etl-by-dns", "CN=somebody,O=weir", new GeneralName(GeneralName.dNSName, "ETL.example.com"));
        DevCaIssuer.issue(tls, "etl-by-email", "CN=somebody,O=weir", new GeneralName(GeneralName.rfc822Name, "etl.example.com"));
        DevCaIssuer.issue(tls, "batch-ops", "CN=job,OU=ops,OU=batch,O=weir");
        DevCaIssuer.issue(tls, "ops-batch", "CN=job,OU=batch,OU=ops,O=weir");
        DevCaIssuer.issue(tls, "ops-only", "CN=job,OU=ops,O=weir");
        try (DynamoDbClient admin = client("AKIAWEIRADMIN0000001", "weir-admin-secret", null)) {
            admin.createTable(b -> b.tableName("people").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(d -> d.attributeName("id").attributeType("S"))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")));
            admin.putItem(b -> b.tableName("people").item(Map.of("id", s("p-001"), "ssn", s("123-45-6789"), "region", s("eu"),
                    "name", s("Ada"))));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (weir != null) weir.close();
    }

    @Test
    void theReadyLineNamesHttpsAndTheLogNamesTheTlsProvider() {
        String log = String.join("\n", weir.output());
        assertTrue(log.contains("weir ready: https://127.0.0.1:" + weir.proxyPort), log);
        assertTrue(log.contains("--ca-bundle " + tls.resolve("ca.pem")), log);
        assertTrue(log.contains("TLS by BoringSSL"), log);
    }

    @Test
    void aClientCertificateAndTheSameSignerReadAsThatPrincipal() throws Exception {
        try (DynamoDbClient analyst = client("AKIAWEIRANALYST00001", "weir-analyst-secret", "analyst")) {
            Map<String, AttributeValue> item = analyst.getItem(b -> b.tableName("people").key(Map.of("id", s("p-001")))).item();
            assertEquals("****6789", item.get("ssn").s());
        }
    }

    @Test
    void aSignatureOfAnotherPrincipalThanTheCertificateIsRefused() throws Exception {
        try (DynamoDbClient mixed = client("AKIAWEIRADMIN0000001", "weir-admin-secret", "analyst")) {
            DynamoDbException e = assertThrows(DynamoDbException.class, mixed::listTables);
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("different principal"));
        }
    }

    @Test
    void anUnsignedRequestIsIdentifiedByItsCertificateAlone() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(sslContext("support")).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(weir.endpoint().replace("http:", "https:")))
                .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-001\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(JSON.readTree("{\"Item\":{\"id\":{\"S\":\"p-001\"},\"name\":{\"S\":\"Ada\"},\"region\":{\"S\":\"eu\"}}}"),
                JSON.readTree(r.body()));

        HttpClient anonymous = HttpClient.newBuilder().sslContext(sslContext(null)).build();
        HttpResponse<String> refused = anonymous.send(HttpRequest.newBuilder(
                        URI.create(weir.endpoint().replace("http:", "https:")))
                .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("MissingAuthenticationTokenException"), refused.body());
    }

    /** A certificate for CN=mallory whose DirName SAN reads like the admin's subject is not the admin. */
    @Test
    void aDirNameSanEqualToTheAdminsSubjectIsNotTheAdmin() throws Exception {
        HttpResponse<String> r = unsignedGetItem("mallory");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("MissingAuthenticationTokenException"), r.body());
        HttpResponse<String> admin = unsignedGetItem("admin");
        assertEquals(200, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains("123-45-6789"), "the admin's own certificate is the admin");
    }

    /** A principal identified by {dns: etl.example.com}: a DNS SAN names it, an e-mail SAN with the same text does not. */
    @Test
    void aDnsSanMatchesOnlyADnsIdentity() throws Exception {
        HttpResponse<String> r = unsignedGetItem("etl-by-dns");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(JSON.readTree("{\"Item\":{\"id\":{\"S\":\"p-001\"},\"name\":{\"S\":\"Ada\"},\"region\":{\"S\":\"eu\"}}}"),
                JSON.readTree(r.body()), "etl has the support role");
        HttpResponse<String> email = unsignedGetItem("etl-by-email");
        assertEquals(400, email.statusCode(), email.body());
        assertTrue(email.body().contains("MissingAuthenticationTokenException"), email.body());
    }

    /**
     * The batch-certificate deny ({@code not ("batch" in ctx.tls.subject.ou)}) decides alike for a
     * certificate with OU=ops and OU=batch in either order, and refuses one without batch.
     */
    @Test
    void twoOuCertificatesInBothRdnOrdersDecideTheSame() throws Exception {
        for (String cert : new String[] {"batch-ops", "ops-batch"}) {
            try (DynamoDbClient admin = client("AKIAWEIRADMIN0000001", "weir-admin-secret", cert)) {
                assertEquals(1, admin.scan(b -> b.tableName("people")).count(), cert);
            }
        }
        try (DynamoDbClient admin = client("AKIAWEIRADMIN0000001", "weir-admin-secret", "ops-only")) {
            DynamoDbException e = assertThrows(DynamoDbException.class, () -> admin.scan(b -> b.tableName("people")));
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("bulk reads need the batch certificate"),
                    e.awsErrorDetails().errorMessage());
        }
    }

    private static HttpResponse<String> unsignedGetItem(String certificate) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(sslContext(certificate)).build();
        return http.send(HttpRequest.newBuilder(URI.create(weir.endpoint().replace("http:", "https:")))
                .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{\"TableName\":\"people\",\"Key\":{\"id\":{\"S\":\"p-001\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tls12And13AreSpokenAndOlderVersionsAreNot() throws Exception {
        for (String version : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (SSLSocket s = (SSLSocket) sslContext(null).getSocketFactory().createSocket("127.0.0.1", weir.proxyPort)) {
                s.setEnabledProtocols(new String[] {version});
                s.startHandshake();
                assertEquals(version, s.getSession().getProtocol());
            }
        }
        SSLContext old = SSLContext.getInstance("TLS");
        old.init(null, trust(), null);
        try (SSLSocket s = (SSLSocket) old.getSocketFactory().createSocket("127.0.0.1", weir.proxyPort)) {
            s.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThrows(javax.net.ssl.SSLException.class, s::startHandshake);
        } catch (IllegalArgumentException unsupportedByThisJdk) {
            // the JDK no longer offers TLS 1.1 at all: nothing older can be spoken
        }
    }

    private static DynamoDbClient client(String key, String secret, String certificateOf) throws Exception {
        SSLContext ctx = sslContext(certificateOf);
        KeyManagerFactory kmf = keyManagers(certificateOf);
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(weir.endpoint().replace("http:", "https:")))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.builder()
                        .tlsTrustManagersProvider(TlsEndToEndTest::trust)
                        .tlsKeyManagersProvider(() -> kmf == null ? null : kmf.getKeyManagers())
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static SSLContext sslContext(String certificateOf) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = keyManagers(certificateOf);
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust(), null);
        return ctx;
    }

    private static javax.net.ssl.TrustManager[] trust() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", certificate(tls.resolve("ca.pem")));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyManagerFactory keyManagers(String principal) throws Exception {
        if (principal == null) return null;
        String pem = Files.readString(tls.resolve("clients/" + principal + ".key"));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], new Certificate[] {certificate(tls.resolve("clients/" + principal + ".pem"))});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        return kmf;
    }

    private static Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
