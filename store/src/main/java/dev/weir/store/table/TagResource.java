package dev.weir.store.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.protocol.error.DynamoError;
import dev.weir.protocol.error.DynamoException;
import dev.weir.store.api.RequestFields;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TagResource, UntagResource and ListTagsOfResource, on table ARNs. */
public final class TagResource {
    private final TableCatalog catalog;

    public TagResource(TableCatalog catalog) {
        this.catalog = catalog;
    }

    public ObjectNode tag(JsonNode request) {
        String arn = RequestFields.text(request, "ResourceArn");
        Map<String, String> tags = Tags.read(request, "Tags");
        TableDefinition table = resolve(arn);
        catalog.update(table.name(), t -> {
            Map<String, String> next = new LinkedHashMap<>(t.tags());
            next.putAll(tags);
            if (next.size() > Tags.MAX_PER_RESOURCE) {
                throw new DynamoException(new DynamoError("com.amazonaws.dynamodb.v20120810#LimitExceededException",
                        "The number of tags for a resource can not exceed " + Tags.MAX_PER_RESOURCE, 400));
            }
            return t.withTags(next);
        });
        return JsonNodeFactory.instance.objectNode();
    }

    public ObjectNode untag(JsonNode request) {
        String arn = RequestFields.text(request, "ResourceArn");
        List<JsonNode> keys = RequestFields.list(request, "TagKeys");
        TableDefinition table = resolve(arn);
        catalog.update(table.name(), t -> {
            Map<String, String> next = new LinkedHashMap<>(t.tags());
            keys.forEach(k -> next.remove(k.asText()));
            return t.withTags(next);
        });
        return JsonNodeFactory.instance.objectNode();
    }

    public ObjectNode list(JsonNode request) {
        String arn = RequestFields.text(request, "ResourceArn");
        RequestFields.text(request, "NextToken");
        TableDefinition table = resolve(arn);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        Tags.write(table.tags(), response.putArray("Tags"));
        return response;
    }

    private TableDefinition resolve(String arn) {
        if (!arn.startsWith("arn:aws:dynamodb:") || !arn.contains(":table/")) {
            throw DynamoException.validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        }
        return catalog.findByArn(arn).orElseThrow(() -> new DynamoException(
                DynamoError.resourceNotFound("Requested resource not found: ResourceArn: " + arn + " not found")));
    }
}
