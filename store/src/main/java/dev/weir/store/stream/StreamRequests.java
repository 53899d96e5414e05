package dev.weir.store.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.RequestFields;

/** The StreamSpecification member of CreateTable and UpdateTable, checked with DynamoDB's messages. */
public final class StreamRequests {
    /** A requested stream setting: enable with a view type, or disable (viewType null). */
    public record Requested(boolean enabled, StreamViewType viewType) {}

    private StreamRequests() {}

    /**
     * The setting, or null without StreamSpecification. Its members' constraints (StreamEnabled
     * required, a view type of DynamoDB's) were checked with the request's others
     * ({@code RequestValidator}).
     */
    public static Requested parse(JsonNode request) {
        JsonNode spec = RequestFields.object(request, "StreamSpecification");
        if (spec == null) return null;
        Boolean enabled = RequestFields.bool(spec, "StreamEnabled");
        String view = RequestFields.text(spec, "StreamViewType");
        return new Requested(enabled, view == null ? null : StreamViewType.valueOf(view));
    }

    /** Refuses an enable without a view type and a disable with one, as DynamoDB does. */
    public static void checkConsistent(Requested r) {
        if (r == null) return;
        if (r.enabled() && r.viewType() == null) {
            throw DynamoException.validation("One or more parameter values were invalid: "
                    + "If stream is being enabled then UpdateViewType is required");
        }
        if (!r.enabled() && r.viewType() != null) {
            throw DynamoException.validation("One or more parameter values were invalid: "
                    + "If stream is being disabled, then UpdateViewType must not be specified");
        }
    }

    public static DynamoException alreadyEnabled(String table) {
        return DynamoException.validation("Table already has an enabled stream: TableName: " + table);
    }

    public static DynamoException nothingToDisable(String table) {
        return DynamoException.validation("Table has no stream to disable: TableName: " + table);
    }
}
