package dev.weir.policy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.check.Suggestions;
import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Decision;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.DecisionTable;
import dev.weir.policy.trigger.ChangeEvent;
import dev.weir.policy.trigger.Judgement;
import dev.weir.policy.trigger.RecordFilter;
import dev.weir.policy.trigger.RecordView;
import dev.weir.policy.trigger.RecordViews;
import dev.weir.policy.trigger.RequestKeys;
import dev.weir.policy.trigger.RequestTriggerSpec;
import dev.weir.policy.trigger.ScheduleSpec;
import dev.weir.policy.trigger.TriggerSpec;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The trigger part of the policy tests (docs/triggers.md, "Testing triggers"). Three kinds of case:
 * <pre>
 * - trigger: geo                          # or table: images (every stream trigger on it)
 *   change: {event: MODIFY, key: [id], old: {...}, new: {...}}
 *   expect:
 *     fires: [geo]                        # exactly the triggers (of the case's) that fire
 *     input: {geo: {event: INSERT, keys: {id: a}, new: {...}}}   # what the function gets
 *     mark: {geo: geo_done}               # the mark written after the call (none for a REMOVE)
 * - principal: ada
 *   request: {op: DeleteItem, table: images, key: {id: a}}
 *   expect: {fires: [audit-deletes], input: {audit-deletes: {id: a}}}   # the key as the role reads it
 * - at: "2026-01-01T03:00:00Z"
 *   expect: {fires: [nightly]}            # the schedules due that minute
 * </pre>
 * Every judgement is the worker's own: a change is judged by {@link RecordFilter#judge} through
 * the firewall's record cut ({@link RecordViews}, supplied by the appliance), a request's key is
 * cut by {@link RequestKeys}, and a schedule is due when {@code Cron.next} (what the schedule
 * runner steps with) lands on the minute. Nothing here decides a trigger a second way.
 */
final class TriggerCases {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> CHANGE_EXPECT = Set.of("fires", "input", "mark");
    private static final Set<String> INPUT_MEMBERS = Set.of("event", "keys", "new", "old");

    /** What the triggers of one case did: failures of its expectations, and the ids that fired (for coverage). */
    record Outcome(List<String> failures, Set<String> fired) {}

    /** What one trigger did with the case: fired or not (why), what its function gets, the mark written. */
    private record Actual(boolean fires, String reason, ObjectNode input, Optional<RecordFilter.MarkWrite> mark) {
        static Actual not(String reason) {
            return new Actual(false, reason, null, Optional.empty());
        }
    }

    private enum Kind { CHANGE, REQUEST, SCHEDULE }

    private final DecisionTable policy;
    private final RecordViews views;
    private final Located file;
    private final Map<String, List<String>> tableKeys;

    /**
     * @param views     the firewall's record cut; null where it is not available (then change cases fail, saying so)
     * @param tableKeys key attributes per table, from the file's {@code tables: {T: {key: [..]}}}
     */
    TriggerCases(DecisionTable policy, RecordViews views, Located file, Map<String, List<String>> tableKeys) {
        this.policy = policy;
        this.views = views;
        this.file = file;
        this.tableKeys = tableKeys;
    }

    /** Whether a request case also asserts on triggers. */
    static boolean expectsTriggers(JsonNode expect) {
        return expect.has("fires") || expect.has("input") || expect.has("mark");
    }

    /** Key attributes per table from a file's {@code tables:} member. */
    static Map<String, List<String>> tableKeys(JsonNode tables, Located file) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (tables == null) return out;
        if (!tables.isObject()) throw file.error(tables, "'tables:' maps table names to {key: [attributes]}");
        for (Iterator<Map.Entry<String, JsonNode>> it = tables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), names(e.getValue().get("key"), e.getValue(), "tables." + e.getKey() + ".key", file));
        }
        return out;
    }

    // ---- a change to a table: stream triggers

    Outcome change(JsonNode c, JsonNode expect, int index) {
        checkMembers(expect, CHANGE_EXPECT, "a change case expects");
        JsonNode change = c.get("change");
        if (!change.isObject()) throw file.error(change, "'change:' is {event: INSERT|MODIFY|REMOVE, old: {..}, new: {..}}");
        List<TriggerSpec> scope = streamScope(c);
        String table = scope.getFirst().table();
        ChangeEvent event = event(change);
        JsonNode oldNode = change.get("old"), newNode = change.get("new");
        if (event == ChangeEvent.INSERT && (newNode == null || oldNode != null)) throw file.error(change, "an INSERT has a new image and no old one");
        if (event == ChangeEvent.REMOVE && (oldNode == null || newNode != null)) throw file.error(change, "a REMOVE has an old image and no new one");
        if (event == ChangeEvent.MODIFY && (oldNode == null || newNode == null)) throw file.error(change, "a MODIFY has an old and a new image");
        Map<String, AttributeValue> oldImage = oldNode == null ? null : item(oldNode);
        Map<String, AttributeValue> newImage = newNode == null ? null : item(newNode);
        List<String> keyNames = change.has("key") ? names(change.get("key"), change, "change.key", file) : tableKeys.get(table);
        if (keyNames == null || keyNames.isEmpty()) {
            throw file.error(change, "the change needs the table's key attributes: key: [id] (or, at the top of the file, tables: {"
                    + table + ": {key: [id]}})");
        }
        Map<String, AttributeValue> keys = new LinkedHashMap<>();
        for (String k : keyNames) {
            Map<String, AttributeValue> image = newImage != null ? newImage : oldImage;
            JsonNode imageNode = newImage != null ? newNode : oldNode;
            if (!image.containsKey(k)) throw file.error(imageNode, "the image has no key attribute '" + k + "'");
            if (oldImage != null && newImage != null && !Objects.equals(oldImage.get(k), newImage.get(k))) {
                throw file.error(newNode, "the key attribute '" + k + "' differs between the old and the new image: that is a REMOVE and an INSERT");
            }
            keys.put(k, image.get(k));
        }
        Instant now = Scenario.context(c.get("context")).time();
        if (now == null) now = Instant.now();
        ObjectNode raw = record(index, event, keys, oldImage, newImage, now);

        Map<String, Actual> actual = new LinkedHashMap<>();
        if (views == null) {
            return new Outcome(List.of("change cases need the firewall's record cut: run them with ./weir policy test"), Set.of());
        }
        RecordView view = views.of(policy, now);
        List<String> marks = RecordFilter.marksOn(policy.triggers(), table);
        for (TriggerSpec t : scope) {
            try {
                actual.put(t.id(), switch (RecordFilter.judge(t, raw, marks, view, "NEW_AND_OLD_IMAGES", keyNames)) {
                    case Judgement.Fires f -> new Actual(true, null, f.input(), RecordFilter.markOf(t, raw));
                    case Judgement.DoesNotFire d -> Actual.not(d.reason());
                });
            } catch (RecordView.Refused e) {
                actual.put(t.id(), Actual.not("role " + t.role() + " may not read the stream: " + e.getMessage()));
            }
        }
        return compare(expect, actual, Kind.CHANGE, scope.size() == 1 ? "this case judges only trigger " + scope.getFirst().id()
                : "this case judges the stream triggers on table " + table);
    }

    /** The triggers a change case judges: {@code trigger: ID}, or every stream trigger of {@code table: T}. */
    private List<TriggerSpec> streamScope(JsonNode c) {
        JsonNode id = c.get("trigger"), table = c.get("table");
        if ((id == null) == (table == null)) throw file.error(c, "a change case names one 'trigger:' or one 'table:'");
        if (id != null) {
            String name = id.asText();
            for (TriggerSpec t : policy.triggers()) if (t.id().equals(name)) return List.of(t);
            throw unknownOrOtherKind(id, name, Kind.CHANGE);
        }
        List<TriggerSpec> on = policy.triggers().stream().filter(t -> t.table().equals(table.asText())).toList();
        if (on.isEmpty()) throw file.error(table, "no stream trigger is on table " + table.asText());
        return on;
    }

    private ChangeEvent event(JsonNode change) {
        JsonNode e = change.get("event");
        if (e == null) throw file.error(change, "the change needs 'event: INSERT|MODIFY|REMOVE'");
        ChangeEvent event = e.isTextual() ? ChangeEvent.named(e.asText()) : null;
        if (event == null) throw file.error(e, "unknown event '" + e.asText() + "': INSERT, MODIFY or REMOVE");
        return event;
    }

    /** A stream record as the bundled store writes it for this change (NEW_AND_OLD_IMAGES). */
    private static ObjectNode record(int index, ChangeEvent event, Map<String, AttributeValue> keys,
                                     Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage, Instant now) {
        ObjectNode r = NODES.objectNode();
        r.put("eventID", "policy-test-" + index);
        r.put("eventName", event.name());
        r.put("eventVersion", "1.1");
        r.put("eventSource", "aws:dynamodb");
        r.put("awsRegion", "us-east-1");
        ObjectNode d = r.putObject("dynamodb");
        d.put("ApproximateCreationDateTime", now.getEpochSecond());
        d.set("Keys", AttributeValueJson.toJson(keys));
        if (newImage != null) d.set("NewImage", AttributeValueJson.toJson(newImage));
        if (oldImage != null) d.set("OldImage", AttributeValueJson.toJson(oldImage));
        d.put("SequenceNumber", Integer.toString(100 + index));
        d.put("SizeBytes", 0);
        d.put("StreamViewType", "NEW_AND_OLD_IMAGES");
        return r;
    }

    // ---- a request: API-call triggers

    Outcome request(JsonNode c, JsonNode expect, DecisionRequest request, Decision decision) {
        if (expect.has("mark")) throw file.error(expect.get("mark"), "'mark' is for change cases: an API-call trigger writes no mark");
        JsonNode r = c.get("request");
        ObjectNode key = null;
        if (r.has("key")) key = AttributeValueJson.toJson(item(r.get("key")));
        Map<String, Actual> actual = new LinkedHashMap<>();
        for (RequestTriggerSpec t : policy.requestTriggers()) {
            if (!t.matches(request.table(), request.operation())) {
                actual.put(t.id(), Actual.not("it fires on " + new TreeSet<>(t.operations().stream().map(Enum::name).toList())
                        + " on table " + t.table() + ", not " + request.operation().name() + " on " + request.table()));
            } else if (!(decision instanceof Allowed)) {
                actual.put(t.id(), Actual.not("the policy refuses the request (" + PolicyTestRunner.kind(decision) + ")"));
            } else if (key == null) {
                throw file.error(r, "request.key is required to judge the API-call triggers it fires");
            } else {
                Optional<ObjectNode> sent = RequestKeys.cut(policy, t, key);
                actual.put(t.id(), sent.map(k -> new Actual(true, null, k, Optional.<RecordFilter.MarkWrite>empty()))
                        .orElseGet(() -> Actual.not("not sent: role " + t.role() + " does not read every key attribute in the clear")));
            }
        }
        return compare(expect, actual, Kind.REQUEST, "a request case judges the API-call triggers");
    }

    // ---- a minute: schedules

    Outcome schedule(JsonNode c, JsonNode expect) {
        checkMembers(expect, Set.of("fires"), "a schedule case expects");
        JsonNode at = c.get("at");
        Instant minute;
        try {
            minute = OffsetDateTime.parse(at.asText()).toInstant().truncatedTo(ChronoUnit.MINUTES);
        } catch (DateTimeParseException e) {
            throw file.error(at, "'at' is not an ISO date-time with offset (2026-01-01T03:00:00Z): " + at.asText());
        }
        Map<String, Actual> actual = new LinkedHashMap<>();
        for (ScheduleSpec s : policy.schedules()) {
            // due as the schedule runner finds it: the next minute after the one before is this one
            boolean due = minute.equals(s.cron().next(minute.minus(1, ChronoUnit.MINUTES), 1));
            actual.put(s.id(), due ? new Actual(true, null, null, Optional.empty())
                    : Actual.not("\"" + s.cron().text() + "\" is not due at " + minute));
        }
        return compare(expect, actual, Kind.SCHEDULE, "a schedule case judges the schedules");
    }

    // ---- expectations

    private Outcome compare(JsonNode expect, Map<String, Actual> actual, Kind kind, String scope) {
        List<String> failures = new ArrayList<>();
        Set<String> fired = new TreeSet<>();
        actual.forEach((id, a) -> { if (a.fires()) fired.add(id); });
        JsonNode fires = expect.get("fires");
        if (fires != null) {
            if (!fires.isArray()) throw file.error(fires, "'fires' is a list of trigger ids ([] for none)");
            Set<String> want = new LinkedHashSet<>();
            for (JsonNode id : fires) want.add(inScope(id, actual, kind, scope));
            for (String id : want) {
                if (!fired.contains(id)) failures.add("expected " + id + " to fire, but it does not: " + actual.get(id).reason());
            }
            for (String id : fired) {
                if (!want.contains(id)) failures.add("expected " + id + " not to fire, but it does" + describe(actual.get(id), kind));
            }
        }
        JsonNode input = expect.get("input");
        if (input != null) {
            if (kind == Kind.SCHEDULE) throw file.error(input, "a schedule's call carries no data: a schedule case expects 'fires' only");
            if (!input.isObject()) throw file.error(input, "'input' maps trigger ids to what each function gets");
            for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String id = inScope(NODES.textNode(e.getKey()), actual, kind, scope, input);
                Actual a = actual.get(id);
                if (!a.fires()) {
                    failures.add("expected " + id + "'s input, but it does not fire: " + a.reason());
                    continue;
                }
                if (kind == Kind.CHANGE) failures.addAll(compareRecord(id, e.getValue(), a.input()));
                else failures.addAll(compareKey(id, e.getValue(), a.input()));
            }
        }
        JsonNode mark = expect.get("mark");
        if (mark != null) {
            if (!mark.isObject()) throw file.error(mark, "'mark' maps trigger ids to the mark attribute written (none for no mark)");
            for (Iterator<Map.Entry<String, JsonNode>> it = mark.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String id = inScope(NODES.textNode(e.getKey()), actual, kind, scope, mark);
                Actual a = actual.get(id);
                String want = e.getValue().isNull() || e.getValue().asText().equals("none") ? null : e.getValue().asText();
                if (!a.fires()) {
                    if (want != null) failures.add("expected " + id + " to write " + want + ", but it does not fire: " + a.reason());
                    continue;
                }
                String got = a.mark().map(RecordFilter.MarkWrite::attribute).orElse(null);
                if (!Objects.equals(want, got)) {
                    failures.add("expected " + id + " to write " + (want == null ? "no mark" : "the mark " + want)
                            + ", but it writes " + (got == null ? "none (a REMOVE leaves no item to mark)" : describeMark(a.mark().get())));
                }
            }
        }
        return new Outcome(failures, fired);
    }

    private String inScope(JsonNode idNode, Map<String, Actual> actual, Kind kind, String scope) {
        return inScope(idNode, actual, kind, scope, idNode);
    }

    /** A trigger id the case judges; an unknown id, or one the case does not judge, is an error at {@code where}. */
    private String inScope(JsonNode idNode, Map<String, Actual> actual, Kind kind, String scope, JsonNode where) {
        String id = idNode.asText();
        if (actual.containsKey(id)) return id;
        if (kindOf(id) == kind) throw file.error(where, "trigger '" + id + "' is not judged here: " + scope);
        throw unknownOrOtherKind(where, id, kind);
    }

    private IllegalArgumentException unknownOrOtherKind(JsonNode where, String id, Kind kind) {
        Kind other = kindOf(id);
        if (other == null) {
            List<String> all = new ArrayList<>();
            policy.triggers().forEach(t -> all.add(t.id()));
            policy.schedules().forEach(t -> all.add(t.id()));
            policy.requestTriggers().forEach(t -> all.add(t.id()));
            return file.error(where, "unknown trigger '" + id + "'" + Suggestions.hint(id, all));
        }
        return file.error(where, "trigger '" + id + "' is " + describe(other) + ", and this case is " + switch (kind) {
            case CHANGE -> "a change (for stream triggers)";
            case REQUEST -> "a request (for API-call triggers)";
            case SCHEDULE -> "a minute (for schedules)";
        });
    }

    private Kind kindOf(String id) {
        if (policy.triggers().stream().anyMatch(t -> t.id().equals(id))) return Kind.CHANGE;
        if (policy.requestTriggers().stream().anyMatch(t -> t.id().equals(id))) return Kind.REQUEST;
        if (policy.schedules().stream().anyMatch(t -> t.id().equals(id))) return Kind.SCHEDULE;
        return null;
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case CHANGE -> "a stream trigger";
            case REQUEST -> "an API-call trigger";
            case SCHEDULE -> "a schedule";
        };
    }

    private static String describe(Actual a, Kind kind) {
        return switch (kind) {
            case CHANGE -> " (its function gets " + showRecord(a.input()) + ")";
            case REQUEST -> " (with the key " + TestItems.show(AttributeValueJson.item(a.input(), "Key")) + ")";
            case SCHEDULE -> "";
        };
    }

    private static String describeMark(RecordFilter.MarkWrite m) {
        return m.attribute() + " (SET " + m.attribute() + " = <sequence number> on " + TestItems.show(AttributeValueJson.item(m.key(), "Keys")) + ")";
    }

    /** The record a function gets against the expected {event, keys, new, old}: a line per member that differs. */
    private List<String> compareRecord(String id, JsonNode want, ObjectNode got) {
        if (!want.isObject()) throw file.error(want, "an input is {event: .., keys: {..}, new: {..}, old: {..}}");
        checkMembers(want, INPUT_MEMBERS, "an input has");
        List<String> out = new ArrayList<>();
        String wantEvent = want.has("event") ? want.get("event").asText() : null;
        if (wantEvent != null && ChangeEvent.named(wantEvent) == null) {
            throw file.error(want.get("event"), "unknown event '" + wantEvent + "': INSERT, MODIFY or REMOVE");
        }
        String gotEvent = got.path("eventName").asText();
        if (!Objects.equals(wantEvent, gotEvent)) {
            out.add(id + " input.event: expected " + (wantEvent == null ? "none" : wantEvent) + ", but the function gets " + gotEvent);
        }
        JsonNode ddb = got.path("dynamodb");
        for (String[] m : new String[][] {{"keys", "Keys"}, {"new", "NewImage"}, {"old", "OldImage"}}) {
            Map<String, AttributeValue> w = want.has(m[0]) && !want.get(m[0]).isNull() ? item(want.get(m[0])) : null;
            Map<String, AttributeValue> g = ddb.has(m[1]) ? AttributeValueJson.item(ddb.get(m[1]), m[1]) : null;
            if (!Objects.equals(w, g)) {
                out.add(id + " input." + m[0] + ": expected " + (w == null ? "none" : TestItems.show(w))
                        + "\n      but the function gets " + (g == null ? "none" : TestItems.show(g)));
            }
        }
        return out;
    }

    private List<String> compareKey(String id, JsonNode want, ObjectNode got) {
        Map<String, AttributeValue> w = item(want);
        Map<String, AttributeValue> g = AttributeValueJson.item(got, "Key");
        if (w.equals(g)) return List.of();
        return List.of(id + " input: expected the key " + TestItems.show(w) + "\n      but the function gets " + TestItems.show(g));
    }

    static String showRecord(ObjectNode r) {
        JsonNode d = r.path("dynamodb");
        StringBuilder out = new StringBuilder("{event: ").append(r.path("eventName").asText());
        for (String[] m : new String[][] {{"keys", "Keys"}, {"new", "NewImage"}, {"old", "OldImage"}}) {
            if (d.has(m[1])) out.append(", ").append(m[0]).append(": ").append(TestItems.show(AttributeValueJson.item(d.get(m[1]), m[1])));
        }
        return out.append('}').toString();
    }

    private Map<String, AttributeValue> item(JsonNode node) {
        try {
            return TestItems.item(node);
        } catch (IllegalArgumentException e) {
            throw file.error(node, e.getMessage());
        }
    }

    private void checkMembers(JsonNode node, Set<String> allowed, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw file.error(node.get(name), "unknown member '" + name + "': " + what + " " + new TreeSet<>(allowed)
                        + Suggestions.hint(name, allowed));
            }
        }
    }

    private static List<String> names(JsonNode list, JsonNode parent, String what, Located file) {
        if (list == null || !list.isArray() || list.isEmpty()) throw file.error(list == null ? parent : list, what + " is a list of attribute names");
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }
}
