package dev.weir.proxy.enforce.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.proxy.enforce.read.ReadView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every eventName × visibility of each image × view type, with masks and removed fields. */
class RecordCutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReadView READER = StreamViews.view("reader");

    private static final String EU = "{\"pk\":{\"S\":\"p1\"},\"sk\":{\"N\":\"1\"},\"region\":{\"S\":\"eu\"},"
            + "\"name\":{\"S\":\"Alice Smith\"},\"secret\":{\"S\":\"s3cr3t\"},\"n\":{\"N\":\"7\"}}";
    private static final String US = "{\"pk\":{\"S\":\"p1\"},\"sk\":{\"N\":\"1\"},\"region\":{\"S\":\"us\"},"
            + "\"name\":{\"S\":\"Alice Smith\"},\"secret\":{\"S\":\"other\"},\"n\":{\"N\":\"9\"}}";

    /** An eu row of fields the reader sees in clear only. */
    private static final String CLEAR = "{\"pk\":{\"S\":\"p1\"},\"sk\":{\"N\":\"1\"},\"region\":{\"S\":\"eu\"},\"n\":{\"N\":\"7\"}}";

    /** A record as the store writes it for a stream of this type: images the type does not carry are left out. */
    private static JsonNode record(String event, String oldImage, String newImage, ViewType type) throws Exception {
        StringBuilder ddb = new StringBuilder("{\"ApproximateCreationDateTime\":1767225600,"
                + "\"Keys\":{\"pk\":{\"S\":\"p1\"},\"sk\":{\"N\":\"1\"}}");
        if (newImage != null && type.carriesNew()) ddb.append(",\"NewImage\":").append(newImage);
        if (oldImage != null && type.carriesOld()) ddb.append(",\"OldImage\":").append(oldImage);
        ddb.append(",\"SequenceNumber\":\"000001767225600000001\",\"SizeBytes\":999,\"StreamViewType\":\"")
                .append(type).append("\"}");
        return JSON.readTree("{\"eventID\":\"0123456789abcdef0123456789abcdef\",\"eventName\":\"" + event
                + "\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\",\"dynamodb\":"
                + ddb + ",\"unknownMember\":\"leak\"}");
    }

    private static Optional<ObjectNode> cut(String event, String oldImage, String newImage, ViewType type, ReadView view)
            throws Exception {
        return RecordCut.cut(record(event, oldImage, newImage, type), view, type);
    }

    /** What the reader sees of the table, per the rule table of the class comment, for the full view type. */
    @Test
    void everyEventAndVisibilityWithBothImages() throws Exception {
        ViewType t = ViewType.NEW_AND_OLD_IMAGES;
        assertEquals("INSERT", cut("INSERT", null, EU, t, READER).orElseThrow().get("eventName").asText());
        assertTrue(cut("INSERT", null, US, t, READER).isEmpty());
        assertEquals("REMOVE", cut("REMOVE", EU, null, t, READER).orElseThrow().get("eventName").asText());
        assertTrue(cut("REMOVE", US, null, t, READER).isEmpty());

        ObjectNode both = cut("MODIFY", EU, EU.replace("\"7\"", "\"8\""), t, READER).orElseThrow();
        assertEquals("MODIFY", both.get("eventName").asText());
        assertTrue(both.get("dynamodb").has("OldImage") && both.get("dynamodb").has("NewImage"));

        ObjectNode in = cut("MODIFY", US, EU, t, READER).orElseThrow();
        assertEquals("INSERT", in.get("eventName").asText(), "a row moving into view is an INSERT");
        assertFalse(in.get("dynamodb").has("OldImage"), "the image from before, out of view, is not shown");
        assertEquals("eu", in.get("dynamodb").get("NewImage").get("region").get("S").asText());

        ObjectNode out = cut("MODIFY", EU, US, t, READER).orElseThrow();
        assertEquals("REMOVE", out.get("eventName").asText(), "a row moving out of view is a REMOVE");
        assertFalse(out.get("dynamodb").has("NewImage"), "the image after, out of view, is not shown");
        assertEquals("eu", out.get("dynamodb").get("OldImage").get("region").get("S").asText());

        assertTrue(cut("MODIFY", US, US.replace("\"9\"", "\"10\""), t, READER).isEmpty());
    }

    @Test
    void deniedRowsAreHiddenPerImage() throws Exception {
        String classified = EU.replace("\"n\":{\"N\":\"7\"}}", "\"n\":{\"N\":\"7\"},\"classified\":{\"BOOL\":true}}");
        assertTrue(classified.contains("classified"));
        ViewType t = ViewType.NEW_AND_OLD_IMAGES;
        assertTrue(cut("INSERT", null, classified, t, READER).isEmpty());
        assertEquals("REMOVE", cut("MODIFY", EU, classified, t, READER).orElseThrow().get("eventName").asText());
    }

    @Test
    void imagesAreShownThroughTheView() throws Exception {
        ObjectNode r = cut("MODIFY", EU, EU.replace("\"7\"", "\"8\""), ViewType.NEW_AND_OLD_IMAGES, READER).orElseThrow();
        for (String image : new String[] {"OldImage", "NewImage"}) {
            JsonNode img = r.get("dynamodb").get(image);
            assertNull(img.get("secret"), "a removed field is not shown");
            assertNotEquals("Alice Smith", img.get("name").get("S").asText(), "a masked field is masked");
            assertEquals("p1", img.get("pk").get("S").asText());
        }
        assertEquals("p1", r.get("dynamodb").get("Keys").get("pk").get("S").asText());
        assertFalse(r.toString().contains("s3cr3t"));
        assertFalse(r.toString().contains("Alice Smith"));
        assertNull(r.get("unknownMember"), "members the cut does not name are withheld");
        assertEquals("0123456789abcdef0123456789abcdef", r.get("eventID").asText());
        assertEquals("000001767225600000001", r.get("dynamodb").get("SequenceNumber").asText());
        assertEquals(1767225600L, r.get("dynamodb").get("ApproximateCreationDateTime").asLong());
        assertEquals("NEW_AND_OLD_IMAGES", r.get("dynamodb").get("StreamViewType").asText());
    }

    /** SizeBytes is the size of what is shown: the same for records that differ only in what the view hides. */
    @Test
    void sizeBytesIsRecomputedFromWhatIsShown() throws Exception {
        String bigSecret = EU.replace("s3cr3t", "x".repeat(5000));
        long a = cut("INSERT", null, EU, ViewType.NEW_IMAGE, READER).orElseThrow().get("dynamodb").get("SizeBytes").asLong();
        long b = cut("INSERT", null, bigSecret, ViewType.NEW_IMAGE, READER).orElseThrow().get("dynamodb").get("SizeBytes").asLong();
        assertEquals(a, b, "a hidden field weighs nothing");
        assertNotEquals(999, a, "never the upstream's figure");
        assertTrue(a > 0);
        long more = cut("MODIFY", EU, EU.replace("\"7\"", "\"8\""), ViewType.NEW_AND_OLD_IMAGES, READER).orElseThrow()
                .get("dynamodb").get("SizeBytes").asLong();
        assertTrue(more > a, "two images shown weigh more than one");
    }

    /**
     * A MODIFY the caller sees no change in is no event to it: only hidden fields changed, or a
     * masked value whose mask shows the same. Showing it would say that, and when, a hidden value
     * changed.
     */
    @Test
    void aModifyOfHiddenValuesOnlyIsDropped() throws Exception {
        ViewType t = ViewType.NEW_AND_OLD_IMAGES;
        assertTrue(cut("MODIFY", EU, EU.replace("s3cr3t", "changed"), t, READER).isEmpty(), "a removed field changed");
        assertTrue(cut("MODIFY", EU, EU.replace("Alice Smith", "Bobby Smith"), t, READER).isEmpty(),
                "a masked field changed where its mask (the last two characters) shows the same");
        assertEquals("MODIFY", cut("MODIFY", EU, EU.replace("Alice Smith", "Alice Smitt"), t, READER).orElseThrow()
                .get("eventName").asText(), "a change the mask shows is shown");
        assertTrue(cut("MODIFY", EU, EU.replace("Alice Smith", "Bobby Smith"), t, StreamViews.view("fieldsonly")).isEmpty(),
                "a field outside the view changed");
        assertTrue(cut("MODIFY", EU, EU, t, StreamViews.view("rowsonly")).isEmpty(), "nothing changed at all");
    }

    /**
     * A stream without both images, for a restricted view (StreamAccess refuses it; the cut holds
     * anyway): a MODIFY is dropped (no telling a visible change from a hidden one), and under a row
     * filter an image the stream does not carry is not visible.
     */
    @Test
    void withoutBothImagesARestrictedViewSeesNoModify() throws Exception {
        for (ReadView v : new ReadView[] {READER, StreamViews.view("fieldsonly"), StreamViews.view("rowsonly")}) {
            for (ViewType t : new ViewType[] {ViewType.KEYS_ONLY, ViewType.NEW_IMAGE, ViewType.OLD_IMAGE}) {
                assertTrue(cut("MODIFY", EU, EU.replace("\"7\"", "\"8\""), t, v).isEmpty(), t + " MODIFY");
                assertTrue(cut("MODIFY", US, EU, t, v).isEmpty(), t + " MODIFY into view");
            }
        }
        assertEquals("INSERT", cut("INSERT", null, EU, ViewType.NEW_IMAGE, READER).orElseThrow().get("eventName").asText());
        assertTrue(cut("REMOVE", EU, null, ViewType.NEW_IMAGE, READER).isEmpty(), "no old image: not visible under a row filter");
        assertTrue(cut("INSERT", null, EU, ViewType.OLD_IMAGE, READER).isEmpty(), "no new image: not visible under a row filter");
        assertEquals("REMOVE", cut("REMOVE", EU, null, ViewType.OLD_IMAGE, READER).orElseThrow().get("eventName").asText());
        for (String e : new String[] {"INSERT", "REMOVE"}) {
            assertTrue(cut(e, EU, EU, ViewType.KEYS_ONLY, READER).isEmpty(), e);
        }
    }

    /** A caller without a row filter sees INSERT and REMOVE of every type, and a MODIFY it can see with both images. */
    @ParameterizedTest
    @EnumSource(ViewType.class)
    void withoutARowFilterEveryRecordIsShown(ViewType type) throws Exception {
        ReadView fields = StreamViews.view("fieldsonly");
        for (String e : new String[] {"INSERT", "MODIFY", "REMOVE"}) {
            Optional<ObjectNode> shown = cut(e, e.equals("INSERT") ? null : US, e.equals("REMOVE") ? null : US.replace("\"9\"", "\"10\""),
                    type, fields);
            if (e.equals("MODIFY") && type != ViewType.NEW_AND_OLD_IMAGES) {
                assertTrue(shown.isEmpty(), "without both images a MODIFY is dropped for a restricted view");
                continue;
            }
            ObjectNode r = shown.orElseThrow();
            assertEquals(e, r.get("eventName").asText(), "the event as the store wrote it");
            assertEquals("p1", r.get("dynamodb").get("Keys").get("pk").get("S").asText());
            assertEquals(type.carriesNew() && !e.equals("REMOVE"), r.get("dynamodb").has("NewImage"));
            assertEquals(type.carriesOld() && !e.equals("INSERT"), r.get("dynamodb").has("OldImage"));
            assertFalse(r.toString().contains("Alice"), "fields outside the view are removed");
        }
    }

    /** A caller with a row filter and every field: rows judged, images whole. */
    @Test
    void rowsOnly() throws Exception {
        ReadView rows = StreamViews.view("rowsonly");
        ObjectNode r = cut("MODIFY", US, EU, ViewType.NEW_AND_OLD_IMAGES, rows).orElseThrow();
        assertEquals("INSERT", r.get("eventName").asText());
        assertEquals("s3cr3t", r.get("dynamodb").get("NewImage").get("secret").get("S").asText());
        assertTrue(cut("INSERT", null, US, ViewType.NEW_IMAGE, rows).isEmpty());
    }

    /** An unrestricted view gets the record as the store sent it. */
    @Test
    void unrestrictedPassesTheRecord() throws Exception {
        JsonNode rec = record("MODIFY", EU, US, ViewType.NEW_AND_OLD_IMAGES);
        ObjectNode r = RecordCut.cut(rec, StreamViews.view("admin"), ViewType.NEW_AND_OLD_IMAGES).orElseThrow();
        assertEquals(rec, r);
        assertEquals(999, r.get("dynamodb").get("SizeBytes").asInt());
    }

    /** The reader sees the whole old image in clear: the deletion's identity is shown (TTL's, to a trigger). */
    @Test
    void userIdentityIsPassedWithAnImageSeenWhole() throws Exception {
        ObjectNode rec = (ObjectNode) record("REMOVE", CLEAR, null, ViewType.NEW_AND_OLD_IMAGES);
        rec.set("userIdentity", JSON.readTree("{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\"}"));
        ObjectNode r = RecordCut.cut(rec, READER, ViewType.NEW_AND_OLD_IMAGES).orElseThrow();
        assertEquals(JSON.readTree("{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\"}"), r.get("userIdentity"));
    }

    /**
     * Of a userIdentity only its two text members reach a restricted view; none of it when the view hides
     * or masks part of the old image (the identity would tell that a hidden time-to-live attribute held a
     * time now past); the deletion of a hidden row not at all.
     */
    @Test
    void userIdentityCarriesNothingElse() throws Exception {
        ObjectNode rec = (ObjectNode) record("REMOVE", CLEAR, null, ViewType.NEW_AND_OLD_IMAGES);
        rec.set("userIdentity", JSON.readTree("{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\","
                + "\"Item\":" + EU + ",\"Extra\":{\"secret\":\"s3cr3t\"}}"));
        ObjectNode r = RecordCut.cut(rec, READER, ViewType.NEW_AND_OLD_IMAGES).orElseThrow();
        assertEquals(JSON.readTree("{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\"}"), r.get("userIdentity"));
        assertFalse(r.toString().contains("s3cr3t"), r.toString());

        rec.set("userIdentity", JSON.readTree("[\"s3cr3t\"]"));
        assertFalse(RecordCut.cut(rec, READER, ViewType.NEW_AND_OLD_IMAGES).orElseThrow().has("userIdentity"));
        rec.set("userIdentity", JSON.readTree("{\"PrincipalId\":{\"S\":\"s3cr3t\"}}"));
        assertFalse(RecordCut.cut(rec, READER, ViewType.NEW_AND_OLD_IMAGES).orElseThrow().has("userIdentity"));

        ObjectNode partly = (ObjectNode) record("REMOVE", EU, null, ViewType.NEW_AND_OLD_IMAGES);
        partly.set("userIdentity", JSON.readTree("{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\"}"));
        ObjectNode shown = RecordCut.cut(partly, READER, ViewType.NEW_AND_OLD_IMAGES).orElseThrow();
        assertEquals("REMOVE", shown.get("eventName").asText());
        assertFalse(shown.has("userIdentity"), "the old image has a field the reader does not see in clear: " + shown);

        ObjectNode hidden = (ObjectNode) record("REMOVE", US, null, ViewType.NEW_AND_OLD_IMAGES);
        hidden.set("userIdentity", JSON.readTree("{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\"}"));
        assertTrue(RecordCut.cut(hidden, READER, ViewType.NEW_AND_OLD_IMAGES).isEmpty(),
                "the deletion by time to live of a row the reader does not see is no record to it");
    }

    /**
     * A deletion by time to live on a stream of each view type, to a view that shows every row but
     * not every field: the REMOVE is shown (no row filter hides it) but never with the identity, which
     * would tell that the hidden or absent part of the old image held a time now past. Without an old
     * image (KEYS_ONLY, NEW_IMAGE) nothing is seen whole, so no view short of the unrestricted one gets it
     * (and a view with a row filter gets no record of the deletion at all).
     */
    @ParameterizedTest
    @EnumSource(ViewType.class)
    void aTtlDeletionIsAPlainRemoveToAViewThatDoesNotSeeTheWholeOldImage(ViewType type) throws Exception {
        String ttl = "{\"PrincipalId\":\"dynamodb.amazonaws.com\",\"Type\":\"Service\"}";
        for (String role : new String[] {"fieldsonly", "rowsonly", "reader"}) {
            ObjectNode rec = (ObjectNode) record("REMOVE", role.equals("reader") ? EU : US.replace("\"us\"", "\"eu\""), null, type);
            rec.set("userIdentity", JSON.readTree(ttl));
            Optional<ObjectNode> cut = RecordCut.cut(rec, StreamViews.view(role), type);
            if (!role.equals("fieldsonly") && !type.carriesOld()) {
                assertTrue(cut.isEmpty(), "a row filter cannot judge a deletion without its old image: " + role + " " + type);
                continue;
            }
            ObjectNode shown = cut.orElseThrow();
            assertEquals("REMOVE", shown.get("eventName").asText(), role + " " + type);
            boolean whole = role.equals("rowsonly") && type.carriesOld();
            assertEquals(whole, shown.has("userIdentity"), role + " on " + type + ": " + shown);
            assertFalse(shown.toString().contains("s3cr3t") && !role.equals("rowsonly"), shown.toString());
        }
    }
}
