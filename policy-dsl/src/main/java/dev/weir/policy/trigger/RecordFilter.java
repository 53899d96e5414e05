package dev.weir.policy.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stream records fire a trigger, what its function gets, and the mark written after it:
 * pure functions of the records. The lifecycle worker ({@code ShardRunner}) and the policy tests
 * ({@code ./weir policy test}, {@code testing/TriggerCases}) both judge records
 * with {@link #judge}, so a test case passes exactly when the worker would do what it expects.
 */
public final class RecordFilter {
    private RecordFilter() {}

    /** The completion mark a handled record gets: {@code SET attribute = sequence} on the item with this key. */
    public record MarkWrite(ObjectNode key, String attribute, BigInteger sequence) {}

    /**
     * Judges one record as the store wrote it, in the worker's order: the mark guard first (on
     * the raw record), then the cut through the role's view, then {@link #whyNot} on what the
     * role sees.
     *
     * @param marks the completion marks of every trigger on the table ({@link #marksOn})
     * @throws RecordView.Refused when the role may not read the stream's records at all
     */
    public static Judgement judge(TriggerSpec trigger, JsonNode raw, Collection<String> marks, RecordView view,
                                  String viewType, List<String> keyAttributes) throws RecordView.Refused {
        if (onlyMarksChanged(raw, marks)) return new Judgement.DoesNotFire("only completion marks changed", null);
        Optional<ObjectNode> shown = view.cut(trigger, raw, viewType, keyAttributes);
        if (shown.isEmpty()) return new Judgement.DoesNotFire("role " + trigger.role() + "'s view drops the change (a row it does not see, or hidden values only)", null);
        Optional<String> why = whyNot(trigger, shown.get());
        return why.<Judgement>map(w -> new Judgement.DoesNotFire(w, shown.get())).orElseGet(() -> new Judgement.Fires(shown.get()));
    }

    /** The completion marks of every trigger on a table: a change of these alone fires none of them. */
    public static List<String> marksOn(Collection<TriggerSpec> triggers, String table) {
        return triggers.stream().filter(t -> t.table().equals(table)).map(TriggerSpec::mark).toList();
    }

    /**
     * The mark the worker writes once the function has handled the record: the record's sequence
     * number, on the item of its {@code Keys} (as the store wrote them). None for a REMOVE (no item
     * is left to mark; the event is that of the record as written, so a MODIFY that the role sees
     * as a REMOVE still marks the item), nor for a record without keys.
     */
    public static Optional<MarkWrite> markOf(TriggerSpec trigger, JsonNode raw) {
        if ("REMOVE".equals(raw.path("eventName").asText())) return Optional.empty();
        JsonNode keys = raw.path("dynamodb").path("Keys");
        if (!(keys instanceof ObjectNode k) || k.isEmpty()) return Optional.empty();
        return Optional.of(new MarkWrite(k.deepCopy(), trigger.mark(),
                new BigInteger(raw.path("dynamodb").path("SequenceNumber").asText())));
    }

    /**
     * True for a MODIFY whose images differ only in completion marks (of any trigger on the
     * table): the worker's own {@code SET mark} writes such records, and they never fire a
     * trigger, so a trigger cannot fire on its own completion. Judged on the record as the store
     * wrote it, before any view.
     */
    public static boolean onlyMarksChanged(JsonNode raw, Collection<String> marks) {
        if (!"MODIFY".equals(raw.path("eventName").asText())) return false;
        JsonNode ddb = raw.path("dynamodb");
        JsonNode oldImage = ddb.get("OldImage"), newImage = ddb.get("NewImage");
        if (oldImage == null || newImage == null || !oldImage.isObject() || !newImage.isObject()) return false;
        ObjectNode o = ((ObjectNode) oldImage).deepCopy(), n = ((ObjectNode) newImage).deepCopy();
        boolean anyMark = false;
        for (String m : marks) {
            anyMark |= !Objects.equals(o.get(m), n.get(m));
            o.remove(m);
            n.remove(m);
        }
        return anyMark && AttributeValueJson.item(o, "OldImage").equals(AttributeValueJson.item(n, "NewImage"));
    }

    /**
     * Whether the record, as the trigger's role sees it, fires the trigger: its event is one the
     * trigger names, {@code rows where} holds on the new image (the old one for a REMOVE), and,
     * with {@code changed}, one of those values differs between the two images (absent counts
     * as a value: an INSERT changes every attribute it has, a REMOVE every one it had).
     */
    public static boolean fires(TriggerSpec trigger, JsonNode shown) {
        return whyNot(trigger, shown).isEmpty();
    }

    /** Why the record, as the role sees it, does not fire the trigger ({@link #fires}), or empty when it does. */
    public static Optional<String> whyNot(TriggerSpec trigger, JsonNode shown) {
        String name = shown.path("eventName").asText();
        ChangeEvent event = ChangeEvent.named(name);
        if (event == null || !trigger.events().contains(event)) {
            return Optional.of("the role sees " + (name.isEmpty() ? "no event" : "a " + name) + ", and the trigger fires on "
                    + trigger.events().stream().sorted().toList());
        }
        Map<String, AttributeValue> oldImage = image(shown, "OldImage");
        Map<String, AttributeValue> newImage = image(shown, "NewImage");
        Map<String, AttributeValue> judged = event == ChangeEvent.REMOVE ? oldImage : newImage;
        if (judged == null) return Optional.of("the record has no " + (event == ChangeEvent.REMOVE ? "old" : "new") + " image");
        if (!trigger.rows().test(judged, TriggerCompiler.viewRequest(trigger.role(), trigger.table()))) {
            return Optional.of("'rows where' does not hold on the " + (event == ChangeEvent.REMOVE ? "old" : "new") + " image");
        }
        if (trigger.changed().isEmpty()) return Optional.empty();
        for (Path p : trigger.changed()) {
            if (!Objects.equals(at(oldImage, p), at(newImage, p))) return Optional.empty();
        }
        return Optional.of("none of 'changed' " + trigger.changed() + " changed");
    }

    private static Map<String, AttributeValue> image(JsonNode record, String member) {
        JsonNode n = record.path("dynamodb").get(member);
        return n == null || n.isNull() ? null : AttributeValueJson.item(n, member);
    }

    /** The value at a path, or null when the image or the value is absent. */
    static AttributeValue at(Map<String, AttributeValue> image, Path path) {
        if (image == null) return null;
        AttributeValue v = image.get(path.attribute());
        for (PathElement e : path.elements().subList(1, path.elements().size())) {
            if (v == null) return null;
            v = switch (e) {
                case PathElement.Name n -> v instanceof AttributeValue.M m ? m.value().get(n.name()) : null;
                case PathElement.Index i -> v instanceof AttributeValue.L l && i.index() < l.value().size()
                        ? l.value().get(i.index()) : null;
            };
        }
        return v;
    }
}
