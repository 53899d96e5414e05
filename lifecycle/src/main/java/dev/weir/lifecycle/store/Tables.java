package dev.weir.lifecycle.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Creates weir's own tables in the upstream when they are missing. */
final class Tables {
    private Tables() {}

    /** An on-demand table with a string hash key and an optional string range key (null); no error if it exists. */
    static void ensure(StoreClient store, String name, String hash, String range) throws StoreException {
        ObjectNode describe = StoreClient.object();
        describe.put("TableName", name);
        try {
            store.dynamo("DescribeTable", describe);
            return;
        } catch (StoreException e) {
            if (!e.is("ResourceNotFoundException")) throw e;
        }
        ObjectNode req = StoreClient.object();
        req.put("TableName", name);
        req.put("BillingMode", "PAY_PER_REQUEST");
        ArrayNode keys = req.putArray("KeySchema");
        ArrayNode defs = req.putArray("AttributeDefinitions");
        keys.addObject().put("AttributeName", hash).put("KeyType", "HASH");
        defs.addObject().put("AttributeName", hash).put("AttributeType", "S");
        if (range != null) {
            keys.addObject().put("AttributeName", range).put("KeyType", "RANGE");
            defs.addObject().put("AttributeName", range).put("AttributeType", "S");
        }
        try {
            store.dynamo("CreateTable", req);
        } catch (StoreException e) {
            if (!e.is("ResourceInUseException")) throw e; // another instance made it first
        }
    }
}
