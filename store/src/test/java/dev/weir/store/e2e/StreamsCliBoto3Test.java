package dev.weir.store.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.store.StoreTestCredentials;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The aws CLI ({@code aws dynamodbstreams ...}) and boto3 ({@code boto3.client('dynamodbstreams')})
 * read the store's change records: list the stream, describe it, get an iterator, get the
 * records. Both are found or installed by the repository's {@code scripts/aws-cli} and
 * {@code scripts/boto3}, as the appliance's tests do.
 */
class StreamsCliBoto3Test extends SdkTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String arn;

    @BeforeAll
    static void open() {
        start();
        table("cli", "pk", ScalarAttributeType.S, null, null,
                b -> b.streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
        arn = ddb.describeTable(b -> b.tableName("cli")).table().latestStreamArn();
        // one partition key: every record in one shard
        ddb.putItem(b -> b.tableName("cli").item(Map.of("pk", s("k"), "v", s("one"))));
        ddb.putItem(b -> b.tableName("cli").item(Map.of("pk", s("k"), "v", s("two"))));
    }

    private static String endpoint() {
        return "http://127.0.0.1:" + address.getPort();
    }

    private static String tool(String script) throws Exception {
        Path installer = Path.of("..", "scripts", script).toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", installer.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || path.isEmpty()) throw new IllegalStateException("scripts/" + script + " could not provide it");
        return path;
    }

    private static JsonNode run(List<String> cmd, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("AWS_ACCESS_KEY_ID", StoreTestCredentials.CREDENTIALS.accessKeyId());
        pb.environment().put("AWS_SECRET_ACCESS_KEY", StoreTestCredentials.CREDENTIALS.secretAccessKey());
        pb.environment().put("AWS_CONFIG_FILE", "/nonexistent");
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
        pb.environment().put("AWS_MAX_ATTEMPTS", "1");
        pb.environment().remove("AWS_PROFILE");
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " did not finish");
        }
        if (p.exitValue() != 0) throw new IllegalStateException(cmd + " failed: " + err);
        return JSON.readTree(out);
    }

    private static JsonNode aws(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tool("aws-cli"), "dynamodbstreams"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", endpoint(), "--region", "us-east-1", "--output", "json"));
        return run(cmd, null);
    }

    @Test
    void theAwsCliReadsTheRecords() throws Exception {
        JsonNode listed = aws("list-streams", "--table-name", "cli");
        assertEquals(arn, listed.path("Streams").path(0).path("StreamArn").asText());
        JsonNode described = aws("describe-stream", "--stream-arn", arn);
        List<String> values = new ArrayList<>();
        for (JsonNode shard : described.path("StreamDescription").path("Shards")) {
            String it = aws("get-shard-iterator", "--stream-arn", arn, "--shard-id", shard.path("ShardId").asText(),
                    "--shard-iterator-type", "TRIM_HORIZON").path("ShardIterator").asText();
            JsonNode page = aws("get-records", "--shard-iterator", it);
            for (JsonNode r : page.path("Records")) values.add(r.path("eventName").asText() + ":"
                    + r.path("dynamodb").path("NewImage").path("v").path("S").asText());
        }
        assertEquals(List.of("INSERT:one", "MODIFY:two"), values);
    }

    @Test
    void boto3ReadsTheRecords() throws Exception {
        String script = """
                import boto3, json, sys
                c = boto3.client('dynamodbstreams', endpoint_url=sys.argv[1], region_name='us-east-1')
                arn = c.list_streams(TableName='cli')['Streams'][0]['StreamArn']
                out = []
                for shard in c.describe_stream(StreamArn=arn)['StreamDescription']['Shards']:
                    it = c.get_shard_iterator(StreamArn=arn, ShardId=shard['ShardId'], ShardIteratorType='TRIM_HORIZON')['ShardIterator']
                    for r in c.get_records(ShardIterator=it)['Records']:
                        out.append(r['eventName'] + ':' + r['dynamodb']['NewImage']['v']['S'])
                print(json.dumps({'arn': arn, 'values': out}))
                """;
        Path file = Files.createTempFile("streams", ".py");
        try {
            Files.writeString(file, script);
            JsonNode answer = run(List.of(tool("boto3"), file.toString(), endpoint()), null);
            assertEquals(arn, answer.path("arn").asText());
            assertEquals(List.of("INSERT:one", "MODIFY:two"), JSON.convertValue(answer.path("values"), List.class));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
