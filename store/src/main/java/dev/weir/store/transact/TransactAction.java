package dev.weir.store.transact;

import dev.weir.protocol.expr.Condition;
import dev.weir.protocol.expr.Update;
import dev.weir.protocol.model.AttributeValue;
import dev.weir.store.item.ItemRef;

import java.util.Map;

/**
 * One action of a TransactWriteItems call, parsed and validated: its item, its condition, and
 * what it writes (a whole item for Put, an update for Update, nothing for ConditionCheck).
 */
record TransactAction(Kind kind, ItemRef ref, Map<String, AttributeValue> keyItem, Map<String, AttributeValue> item,
                      Update update, Condition condition, boolean returnItemOnFailure) {
    enum Kind { CONDITION_CHECK, PUT, DELETE, UPDATE }
}
