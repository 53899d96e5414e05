package dev.weir.audit.event;

import java.util.List;

/**
 * One audit record: who asked, what for, what was decided and what came of it. It names
 * attributes and keys, never a value that policy hides, and never a secret.
 *
 * @param sequence       per-instance sequence number, assigned when the event is published
 * @param instance       the id of the weir instance that wrote it
 * @param timeMicros     when the request was received, microseconds since the epoch
 * @param principal      principal name, or null when the caller was not identified
 * @param roles          the principal's roles
 * @param accessKeyId    the access key id the request was signed with, if any
 * @param sourceAddress  client IP address
 * @param sourcePort     client port
 * @param operation      DynamoDB operation name, or null if none could be read
 * @param table          table name, or null
 * @param decision       ALLOWED, FORBIDDEN, NOT_PERMITTED or UNAUTHENTICATED
 * @param ruleIds        the rules that decided
 * @param policyHash     content hash of the policy set that decided
 * @param maskedFields   attribute paths masked in the response
 * @param removedFields  attribute paths removed from the response
 * @param status         HTTP status sent to the client
 * @param errorType      the error's short type when the client got an error, else null
 * @param latencyMicros  time from receipt to the response being sent
 */
public record AuditEvent(long sequence, String instance, long timeMicros,
                         String principal, List<String> roles, String accessKeyId,
                         String sourceAddress, int sourcePort,
                         String operation, String table,
                         String decision, List<String> ruleIds, String policyHash,
                         List<String> maskedFields, List<String> removedFields,
                         int status, String errorType, long latencyMicros) {

    public AuditEvent {
        roles = roles == null ? List.of() : List.copyOf(roles);
        ruleIds = ruleIds == null ? List.of() : List.copyOf(ruleIds);
        maskedFields = maskedFields == null ? List.of() : List.copyOf(maskedFields);
        removedFields = removedFields == null ? List.of() : List.copyOf(removedFields);
    }

    /** The same event with its sequence number and instance id set. */
    public AuditEvent numbered(long seq, String instanceId) {
        return new AuditEvent(seq, instanceId, timeMicros, principal, roles, accessKeyId, sourceAddress, sourcePort,
                operation, table, decision, ruleIds, policyHash, maskedFields, removedFields, status, errorType,
                latencyMicros);
    }
}
