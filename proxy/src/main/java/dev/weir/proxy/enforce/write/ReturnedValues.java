package dev.weir.proxy.enforce.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.expr.Path;
import dev.weir.protocol.expr.Projections;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.protocol.model.AttributeValueJson;
import dev.weir.protocol.wire.JsonBodies;
import dev.weir.proxy.enforce.flow.FlowCheck;
import dev.weir.proxy.enforce.read.ReadView;
import dev.weir.proxy.enforce.request.Part;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code Attributes} a PutItem, UpdateItem or DeleteItem returns ({@code ReturnValues}),
 * through the caller's read view, never its write rule. A row filter is judged on the whole
 * item, so weir asks the store for the whole item ({@code UPDATED_OLD} as {@code ALL_OLD},
 * {@code UPDATED_NEW} as {@code ALL_NEW}); the answer's {@code Attributes} are shown only when
 * the view admits that whole item, as the view shows it, and for {@code UPDATED_*} then cut to
 * the paths the update writes (as DynamoDB cuts them, after the view is applied). Otherwise
 * {@code Attributes} is left out, as for a missing item. A caller whose view shows everything
 * gets the store's answer as it is.
 */
public final class ReturnedValues {
    /** Reads answers whose member names are attribute names clients wrote: keeps none of them between parses. */
    private static final ObjectMapper JSON = JsonBodies.mapper();

    private ReturnedValues() {}

    /** The filtered body, and whether its item was shown (1, 0) or withheld (0, 1); neither when it had none. */
    public record Shown(byte[] body, int shown, int withheld) {}

    /** What weir asks the store for instead of the client's {@code ReturnValues}, or null to leave it as sent. */
    public static String forwarded(Part part, ReadView view) {
        if (view.isUnrestricted()) return null;
        String asked = asked(part);
        return switch (asked) {
            case "UPDATED_OLD" -> "ALL_OLD";
            case "UPDATED_NEW" -> "ALL_NEW";
            default -> null;
        };
    }

    /** A successful write's answer with its {@code Attributes} shown through the view. */
    public static Shown filter(byte[] body, Part part, ReadView view) throws IOException {
        if (view.isUnrestricted() || !contains(body)) return new Shown(body, 0, 0);
        JsonNode tree = JSON.readTree(body);
        if (!(tree instanceof ObjectNode answer)) throw new IOException("a write's answer that is not an object");
        if (!answer.has("Attributes")) return new Shown(body, 0, 0);
        Map<String, AttributeValue> item = AttributeValueJson.item(answer.get("Attributes"), "Attributes");
        if (!view.admits(item)) {
            answer.remove("Attributes");
            return new Shown(JSON.writeValueAsBytes(answer), 0, 1);
        }
        Map<String, AttributeValue> shown = view.show(item);
        String asked = asked(part);
        if (asked.startsWith("UPDATED_")) {
            Set<Path> written = written(part);
            shown = written.isEmpty() ? Map.of() : Projections.of(written).apply(shown);
        }
        if (shown.isEmpty()) answer.remove("Attributes");
        else answer.set("Attributes", AttributeValueJson.toJson(shown));
        return new Shown(JSON.writeValueAsBytes(answer), 1, 0);
    }

    private static String asked(Part part) {
        JsonNode rv = part.body().get("ReturnValues");
        return rv != null && rv.isTextual() ? rv.textValue() : "NONE";
    }

    private static Set<Path> written(Part part) {
        Set<Path> out = new LinkedHashSet<>();
        for (Update u : FlowCheck.updates(part.expressions())) out.addAll(u.writePaths());
        return out;
    }

    /** Whether the answer may hold {@code Attributes} (also spelled with escapes: then it is read whole). */
    private static boolean contains(byte[] body) {
        return dev.weir.protocol.wire.JsonBodies.mayName(body, "Attributes");
    }
}
