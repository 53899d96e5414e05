package dev.weir.lifecycle.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.trigger.ChangeEvent;
import dev.weir.policy.trigger.TriggerCompiler;
import dev.weir.policy.trigger.TriggerSpec;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.PathElement;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/** Which records fire a trigger. Pure functions of the records. */
public final class RecordFilter {
    private RecordFilter() {}

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
        ChangeEvent event = ChangeEvent.named(shown.path("eventName").asText());
        if (event == null || !trigger.events().contains(event)) return false;
        Map<String, AttributeValue> oldImage = image(shown, "OldImage");
        Map<String, AttributeValue> newImage = image(shown, "NewImage");
        Map<String, AttributeValue> judged = event == ChangeEvent.REMOVE ? oldImage : newImage;
        if (judged == null) return false;
        if (!trigger.rows().test(judged, TriggerCompiler.viewRequest(trigger.role(), trigger.table()))) return false;
        if (trigger.changed().isEmpty()) return true;
        for (Path p : trigger.changed()) {
            if (!Objects.equals(at(oldImage, p), at(newImage, p))) return true;
        }
        return false;
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
