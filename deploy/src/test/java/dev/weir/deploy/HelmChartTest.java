package dev.weir.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.weir.appliance.config.ConfigLoader;
import dev.weir.appliance.config.WeirConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helm chart, checked without helm (neither Debian nor npm ships it here; docs/operations.md
 * says why this is the check): its values against its own values.schema.json (which helm applies
 * on every install), the schema refusing values that would break the topology, the weir.yaml the
 * ConfigMap carries ({@code toYaml .Values.config}) loaded by weir's own ConfigLoader, every value
 * a template reads present in values.yaml, the templates' actions balanced, and the Deployment
 * carrying what N stateless replicas need.
 */
class HelmChartTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode values() throws IOException {
        return YAML.readTree(DeployFiles.CHART.resolve("values.yaml").toFile());
    }

    private static Schema schema() throws IOException {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(Files.readString(DeployFiles.CHART.resolve("values.schema.json")));
    }

    private static String template(String name) throws IOException {
        return Files.readString(DeployFiles.CHART.resolve("templates").resolve(name));
    }

    @Test
    void theChartNamesItselfAndItsAppVersionIsTheImageTag() throws Exception {
        JsonNode chart = YAML.readTree(DeployFiles.CHART.resolve("Chart.yaml").toFile());
        assertEquals("v2", chart.path("apiVersion").asText());
        assertEquals("weir", chart.path("name").asText());
        assertTrue(chart.path("version").asText().matches("\\d+\\.\\d+\\.\\d+"), chart.toString());
        assertEquals(chart.path("appVersion").asText(), values().path("image").path("tag").asText());
    }

    @Test
    void theValuesMatchTheirSchema() throws Exception {
        List<Error> errors = schema().validate(values());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    /** Values that would break N stateless replicas in front of an external store, each refused by the schema. */
    @Test
    void theSchemaRefusesValuesThatBreakTheTopology() throws Exception {
        Schema schema = schema();
        Map<String, Consumer<ObjectNode>> broken = new java.util.LinkedHashMap<>();
        broken.put("no replica", v -> v.put("replicaCount", 0));
        broken.put("a bundled store per pod", v -> cfg(v, "store").put("enabled", true));
        broken.put("the upstream secret in the ConfigMap", v -> cfg(v, "upstream").put("secret_access_key", "s3cr3t"));
        broken.put("an endpoint that is not http(s)", v -> cfg(v, "upstream").put("endpoint", "ftp://store"));
        broken.put("no audit sink (a pod's disk goes with it)", v -> ((ObjectNode) v.path("config").path("audit")).putArray("sinks"));
        broken.put("one instance id for every pod", v -> cfg(v, "lifecycle").put("instance_id", "weir"));
        broken.put("a hash key file per pod", v -> cfg(v, "masking").put("hash_key_file", "keys/k1.key"));
        broken.put("a listener on loopback only", v -> cfg(v, "proxy").put("host", "127.0.0.1"));
        broken.put("git-sync without a repository", v -> ((ObjectNode) v.path("policies").path("gitSync")).put("enabled", true));
        broken.put("no policies at all", v -> ((ObjectNode) v.path("policies")).remove("configMap"));
        broken.put("a misspelled value", v -> v.put("replicas", 3));
        for (var b : broken.entrySet()) {
            ObjectNode v = (ObjectNode) values().deepCopy();
            b.getValue().accept(v);
            assertFalse(schema.validate(v).isEmpty(), "the schema let through " + b.getKey());
        }
        // git-sync with a repository is a whole way to get policies
        ObjectNode git = (ObjectNode) values().deepCopy();
        ((ObjectNode) git.path("policies").path("gitSync")).put("enabled", true).put("repo", "https://git.example/policies.git");
        ((ObjectNode) git.path("policies")).remove("configMap");
        assertEquals(List.of(), schema.validate(git));
    }

    private static ObjectNode cfg(ObjectNode values, String block) {
        ObjectNode config = (ObjectNode) values.path("config");
        return config.has(block) ? (ObjectNode) config.get(block) : config.putObject(block);
    }

    /** The ConfigMap's weir.yaml is {@code toYaml .Values.config}: the same tree, which weir's loader must accept. */
    @Test
    void theConfigMapsWeirYamlLoadsWithWeirsOwnLoader(@TempDir Path dir) throws Exception {
        assertTrue(template("configmap.yaml").contains("{{- toYaml .Values.config | nindent 4 }}"),
                "the ConfigMap carries the values' config as it stands");
        JsonNode config = values().path("config");
        Path file = dir.resolve("weir.yaml");
        YAML.writeValue(file.toFile(), config);
        WeirConfig loaded = ConfigLoader.load(file, Map.of(ConfigLoader.UPSTREAM_ACCESS_KEY_ID, "AKIAFROMSECRET",
                ConfigLoader.UPSTREAM_SECRET_ACCESS_KEY, "secret-from-secret"));
        assertFalse(loaded.store().enabled());
        assertEquals("0.0.0.0", loaded.proxy().host());
        assertEquals(config.path("proxy").path("port").asInt(), loaded.proxy().port());
        assertEquals(0, loaded.proxy().maxConnectionsPerSource(), "behind a Service, no limit per source address");
        assertEquals("https://dynamodb.us-east-1.amazonaws.com", loaded.upstream().endpoint());
        assertEquals("AKIAFROMSECRET", loaded.upstream().accessKeyId(), "the credentials come from the Secret's variables");
        assertNull(loaded.upstream().caFile());
        assertEquals(Path.of("/etc/weir/policies"), loaded.policies());
        assertEquals(Path.of("/etc/weir/principals/principals.yaml"), loaded.principals());
        assertEquals(config.path("metrics").path("port").asInt(), loaded.metrics().port());
        assertEquals("kafka", loaded.audit().sinks().getFirst().get("type"));
        assertNull(loaded.audit().file(), "no audit file on the pod's disk");
        assertNull(loaded.lifecycle().instanceId(), "each pod names itself (WEIR_INSTANCE_ID)");

        // the private-CA variant the values describe: ca_file at the Secret's mount path
        ObjectNode withCa = (ObjectNode) config.deepCopy();
        ((ObjectNode) withCa.path("upstream")).put("endpoint", "https://alternator.db.svc:8043")
                .put("ca_file", dir.resolve("upstream-ca/ca.pem").toString());
        Files.createDirectories(dir.resolve("upstream-ca"));
        Files.writeString(dir.resolve("upstream-ca/ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        YAML.writeValue(file.toFile(), withCa);
        assertEquals(dir.resolve("upstream-ca/ca.pem"), ConfigLoader.load(file, Map.of(ConfigLoader.UPSTREAM_ACCESS_KEY_ID, "a",
                ConfigLoader.UPSTREAM_SECRET_ACCESS_KEY, "b")).upstream().caFile());
    }

    private static final Pattern VALUES_PATH = Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");
    /** Values a template reads only under an {@code if}: absent means off. */
    private static final List<String> OPTIONAL = List.of("config.proxy.tls");

    @Test
    void everyValueATemplateReadsIsInValuesYaml() throws Exception {
        JsonNode values = values();
        List<String> missing = new ArrayList<>();
        int seen = 0;
        try (Stream<Path> templates = Files.list(DeployFiles.CHART.resolve("templates"))) {
            for (Path t : templates.toList()) {
                Matcher m = VALUES_PATH.matcher(Files.readString(t));
                while (m.find()) {
                    seen++;
                    String path = m.group(1).substring(1);
                    JsonNode at = values;
                    for (String part : path.split("\\.")) at = at.path(part);
                    if (at.isMissingNode() && !OPTIONAL.contains(path)) missing.add(t.getFileName() + ": .Values." + path);
                }
            }
        }
        assertTrue(seen > 30, "the templates read " + seen + " values");
        assertEquals(List.of(), missing);
    }

    private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}", Pattern.DOTALL);
    private static final Pattern OPENS = Pattern.compile("^(if|with|range|define|block)\\b");

    /** Every {{ }} is closed, and every if, with, range and define has its end, in each template. */
    @Test
    void theTemplatesActionsAreBalanced() throws Exception {
        try (Stream<Path> templates = Files.list(DeployFiles.CHART.resolve("templates"))) {
            for (Path t : templates.toList()) {
                String text = Files.readString(t);
                assertEquals(count(text, "{{"), count(text, "}}"), t + ": unbalanced braces");
                int depth = 0;
                Matcher m = ACTION.matcher(text);
                while (m.find()) {
                    String action = m.group(1);
                    if (action.startsWith("/*")) continue;
                    if (OPENS.matcher(action).find()) depth++;
                    if (action.equals("end")) depth--;
                    assertTrue(depth >= 0, t + ": an end without its opening before " + m.start());
                }
                assertEquals(0, depth, t + ": an if/with/range/define without its end");
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) n++;
        return n;
    }

    @Test
    void theDeploymentCarriesWhatStatelessReplicasNeed() throws Exception {
        String d = template("deployment.yaml");
        // distinct instance ids: audit sequences and trigger leases per pod
        assertTrue(d.contains("- name: WEIR_INSTANCE_ID\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name"), d);
        // credentials and the shared hash key from Secrets, never from the ConfigMap
        assertTrue(d.contains("- name: WEIR_UPSTREAM_ACCESS_KEY_ID\n              valueFrom:\n                secretKeyRef:"), d);
        assertTrue(d.contains("- name: WEIR_UPSTREAM_SECRET_ACCESS_KEY\n              valueFrom:\n                secretKeyRef:"), d);
        assertTrue(d.contains("- name: WEIR_HASH_KEY_{{ .Values.config.masking.hash_key_id | upper }}"), d);
        // probes on the health answer of the client port; metrics annotated for scraping
        assertEquals(3, count(d, "httpGet:\n              path: /\n              port: dynamodb"), "readiness, liveness, startup");
        assertTrue(d.contains("prometheus.io/scrape: \"true\""));
        assertTrue(d.contains("prometheus.io/port: {{ .Values.config.metrics.port | quote }}"));
        // rolling without a gap; the config's checksum rolls the pods when weir.yaml changes
        assertTrue(d.contains("maxUnavailable: 0"));
        assertTrue(d.contains("checksum/config: {{ include (print $.Template.BasePath \"/configmap.yaml\") . | sha256sum }}"));
        // locked down: no privilege, nothing written outside the home and /tmp volumes
        for (String s : List.of("runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false",
                "drop: [ALL]", "type: RuntimeDefault", "mountPath: /var/lib/weir", "mountPath: /tmp")) {
            assertTrue(d.contains(s), s);
        }
        // the paths the config names are where the volumes are mounted
        JsonNode config = values().path("config");
        assertTrue(config.path("principals").asText().startsWith("/etc/weir/principals/"));
        assertTrue(d.contains("mountPath: /etc/weir/principals"));
        assertEquals("/etc/weir/policies", config.path("policies").asText());
        assertTrue(d.contains("mountPath: /etc/weir/policies"));
        assertTrue(d.contains("mountPath: /etc/weir/weir.yaml"));
        ArrayNode sinks = (ArrayNode) config.path("audit").path("sinks");
        assertEquals("kafka", sinks.get(0).path("type").asText(), "audit leaves the pod through Kafka");
        assertEquals(JSON.readTree("\"\""), config.path("audit").path("file"), "no audit file on a pod's disk");
    }
}
