package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** What the hunt's normalisation of answers lets differ between two worlds, and what it still compares. */
class AnswerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode page(String shard, String... records) throws Exception {
        StringBuilder sb = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < records.length; i++) {
            String[] r = records[i].split(" ");
            sb.append(i == 0 ? "" : ",").append("{\"eventID\":\"").append(r[0]).append("\",\"eventName\":\"").append(r[1])
                    .append("\",\"dynamodb\":{\"ApproximateCreationDateTime\":").append(1700000000 + i)
                    .append(",\"Keys\":{\"id\":{\"S\":\"").append(r[2]).append("\"}},\"SequenceNumber\":\"").append(r[3])
                    .append("\",\"SizeBytes\":9}}");
        }
        return JSON.readTree(sb.append("],\"NextShardIterator\":\"weir1:").append(shard).append("\"}").toString());
    }

    @Test
    void streamNumbersAndIdsCompareByTheirOrderOfFirstAppearance() throws Exception {
        Ordinals one = new Ordinals(), two = new Ordinals();
        JsonNode a = Answer.normalised(page("x1", "e1 INSERT k0 100", "e2 MODIFY k0 105"), one, "s1");
        JsonNode b = Answer.normalised(page("y9", "f7 INSERT k0 300", "f8 MODIFY k0 999"), two, "s2");
        assertEquals(a, b, "other ids, numbers, times and iterators, the same structure");
        // a re-read from AT_SEQUENCE_NUMBER shows the second record again: the same names in both worlds
        assertEquals(Answer.normalised(page("x2", "e2 MODIFY k0 105"), one, "s1"),
                Answer.normalised(page("y3", "f8 MODIFY k0 999"), two, "s2"));
        // a record seen before in one world only, a new one in the other: differs
        assertNotEquals(Answer.normalised(page("x3", "e1 INSERT k0 100"), one, "s1"),
                Answer.normalised(page("y4", "f9 INSERT k0 1200"), two, "s2"));
    }

    @Test
    void whatTheCallerSeesOfRecordsStillCounts() throws Exception {
        JsonNode a = Answer.normalised(page("x", "e1 INSERT k0 100", "e2 MODIFY k0 105"), new Ordinals(), "s");
        assertNotEquals(a, Answer.normalised(page("x", "e1 INSERT k0 100"), new Ordinals(), "s"), "the number of records");
        assertNotEquals(a, Answer.normalised(page("x", "e1 INSERT k0 100", "e2 REMOVE k0 105"), new Ordinals(), "s"), "eventName");
        assertNotEquals(a, Answer.normalised(page("x", "e1 INSERT k0 100", "e2 MODIFY k1 105"), new Ordinals(), "s"), "Keys");
        // two records with one sequence number (in one world) against two numbers (in the other)
        assertNotEquals(a, Answer.normalised(page("x", "e1 INSERT k0 100", "e2 MODIFY k0 100"), new Ordinals(), "s"));
    }

    @Test
    void labelsAreNamedPerTableAndMessagesQuoteNames() throws Exception {
        // two tables created in the same millisecond share a label in one world only
        String same = "{\"Streams\":[{\"StreamArn\":\"arn:a/t1/stream/L1\",\"TableName\":\"t1\",\"StreamLabel\":\"L1\"},"
                + "{\"StreamArn\":\"arn:a/t2/stream/L1\",\"TableName\":\"t2\",\"StreamLabel\":\"L1\"}]}";
        String apart = "{\"Streams\":[{\"StreamArn\":\"arn:b/t1/stream/M1\",\"TableName\":\"t1\",\"StreamLabel\":\"M1\"},"
                + "{\"StreamArn\":\"arn:b/t2/stream/M2\",\"TableName\":\"t2\",\"StreamLabel\":\"M2\"}]}";
        Ordinals one = new Ordinals(), two = new Ordinals();
        assertEquals(Answer.normalised(JSON.readTree(same), one, ""), Answer.normalised(JSON.readTree(apart), two, ""));
        JsonNode m1 = JSON.readTree("{\"__type\":\"x#ResourceNotFoundException\",\"message\":\"Stream: arn:a/t2/stream/L1 not found\"}");
        JsonNode m2 = JSON.readTree("{\"__type\":\"x#ResourceNotFoundException\",\"message\":\"Stream: arn:b/t2/stream/M2 not found\"}");
        assertEquals(Answer.normalised(m1, one, ""), Answer.normalised(m2, two, ""));
        JsonNode other = JSON.readTree("{\"__type\":\"x#ResourceNotFoundException\",\"message\":\"Stream: arn:b/t1/stream/M1 not found\"}");
        assertNotEquals(Answer.normalised(m1, one, ""), Answer.normalised(other, two, ""));
    }
}
