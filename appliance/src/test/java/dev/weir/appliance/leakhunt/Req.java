package dev.weir.appliance.leakhunt;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One request of a sequence: who sends it, the operation and the body as generated.
 *
 * @param continues the index (in the generated sequence) of an earlier Query or Scan by the same
 *                  actor whose {@code LastEvaluatedKey} becomes this request's
 *                  {@code ExclusiveStartKey}, or -1
 */
record Req(int actor, String op, ObjectNode body, int continues) {}
