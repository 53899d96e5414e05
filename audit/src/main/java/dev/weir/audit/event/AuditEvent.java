package dev.weir.audit.event;

import java.util.List;

/**
 * One audit record: who asked, what for, what was decided and what came of it. It names
 * attributes and keys, never a value that policy hides, and never a secret.
 *
 * <p>The first eighteen components are the original event; the rest were added later (issue 6;
 * {@code requestId} and {@code phase} for issue 14) and default to empty through the
 * eighteen-argument constructor. New code should use {@link #builder()}.
 *
 * <p>A request has one record, or two in {@code sync} mode when it is forwarded: a
 * {@link #DECISION} record made durable before weir forwards it (who, what, the decision and what
 * it will touch; no status yet), then an {@link #OUTCOME} record with the same {@code requestId}
 * and every field again plus the answer (status, error type, rows dropped, items returned,
 * latency). docs/audit.md says what each record guarantees.
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
 * @param decision       ALLOWED, FORBIDDEN, NOT_PERMITTED or UNAUTHENTICATED (or a weir
 *                       system event's own word, such as DROPPED for an audit gap)
 * @param ruleIds        the rules that decided
 * @param policyHash     content hash of the policy set that decided
 * @param maskedFields   attribute paths masked in the response
 * @param removedFields  attribute paths removed from the response
 * @param status         HTTP status sent to the client
 * @param errorType      the error's short type when the client got an error, else null
 * @param latencyMicros  time from receipt to the response being sent
 * @param tlsSubject     the verified TLS client certificate's subject, or null
 * @param index          the secondary index the request used, or null
 * @param itemKeys       the key of each item touched, rendered as text (key attributes only)
 * @param readPaths      attribute paths the request reads (projection, conditions, filters)
 * @param writtenPaths   attribute paths the request writes
 * @param rowsDropped    items the row filter dropped from the response
 * @param itemsReturned  items in the response
 * @param upstreamStatus HTTP status from the upstream store, or 0 if it was not asked
 * @param decideMicros   time from receipt to the decision
 * @param note           free text for weir's own events (an audit gap, a reload), else null
 * @param requestId      the request's id, also sent to the client as {@code x-amzn-RequestId}; null for
 *                       weir's own events
 * @param phase          which record of its request this is: {@link #DECISION} (sync mode: written
 *                       and durable before the request is forwarded), {@link #OUTCOME} (the answer,
 *                       linked to the decision record by {@code requestId}) or {@link #COMPLETE} (the
 *                       request's only record: a refusal, or async mode); null for weir's own events
 * @param lostSequences  on a gap event ({@code weir:AuditGap}), the sequence numbers of this
 *                       instance that were lost, as ranges {@code FROM-TO} (or one number),
 *                       ascending; empty on every other event
 */
public record AuditEvent(long sequence, String instance, long timeMicros,
                         String principal, List<String> roles, String accessKeyId,
                         String sourceAddress, int sourcePort,
                         String operation, String table,
                         String decision, List<String> ruleIds, String policyHash,
                         List<String> maskedFields, List<String> removedFields,
                         int status, String errorType, long latencyMicros,
                         String tlsSubject, String index, List<String> itemKeys,
                         List<String> readPaths, List<String> writtenPaths,
                         int rowsDropped, int itemsReturned, int upstreamStatus,
                         long decideMicros, String note, String requestId, String phase,
                         List<String> lostSequences) implements PendingEvent {

    /** {@code phase} of the record written before a request is forwarded (sync mode). */
    public static final String DECISION = "decision";
    /** {@code phase} of the record of a forwarded request's answer, after a {@link #DECISION} record. */
    public static final String OUTCOME = "outcome";
    /** {@code phase} of a request's one and only record. */
    public static final String COMPLETE = "complete";

    public AuditEvent {
        lostSequences = copy(lostSequences);
        roles = copy(roles);
        ruleIds = copy(ruleIds);
        maskedFields = copy(maskedFields);
        removedFields = copy(removedFields);
        itemKeys = copy(itemKeys);
        readPaths = copy(readPaths);
        writtenPaths = copy(writtenPaths);
    }

    /** The original eighteen-field event; the fields added later are empty. */
    public AuditEvent(long sequence, String instance, long timeMicros,
                      String principal, List<String> roles, String accessKeyId,
                      String sourceAddress, int sourcePort,
                      String operation, String table,
                      String decision, List<String> ruleIds, String policyHash,
                      List<String> maskedFields, List<String> removedFields,
                      int status, String errorType, long latencyMicros) {
        this(sequence, instance, timeMicros, principal, roles, accessKeyId, sourceAddress, sourcePort, operation, table,
                decision, ruleIds, policyHash, maskedFields, removedFields, status, errorType, latencyMicros,
                null, null, List.of(), List.of(), List.of(), 0, 0, 0, 0, null, null, null, List.of());
    }

    /** The same event with its sequence number and instance id set. */
    public AuditEvent numbered(long seq, String instanceId) {
        return new AuditEvent(seq, instanceId, timeMicros, principal, roles, accessKeyId, sourceAddress, sourcePort,
                operation, table, decision, ruleIds, policyHash, maskedFields, removedFields, status, errorType,
                latencyMicros, tlsSubject, index, itemKeys, readPaths, writtenPaths, rowsDropped, itemsReturned,
                upstreamStatus, decideMicros, note, requestId, phase, lostSequences);
    }

    /** An event is already made: itself. */
    @Override
    public AuditEvent event() {
        return this;
    }

    /** True for events weir records about itself (operation names starting with {@code weir:}). */
    public boolean isSystem() {
        return operation != null && operation.startsWith("weir:");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.sequence = sequence; b.instance = instance; b.timeMicros = timeMicros; b.principal = principal;
        b.roles = roles; b.accessKeyId = accessKeyId; b.sourceAddress = sourceAddress; b.sourcePort = sourcePort;
        b.operation = operation; b.table = table; b.decision = decision; b.ruleIds = ruleIds;
        b.policyHash = policyHash; b.maskedFields = maskedFields; b.removedFields = removedFields;
        b.status = status; b.errorType = errorType; b.latencyMicros = latencyMicros; b.tlsSubject = tlsSubject;
        b.index = index; b.itemKeys = itemKeys; b.readPaths = readPaths; b.writtenPaths = writtenPaths;
        b.rowsDropped = rowsDropped; b.itemsReturned = itemsReturned; b.upstreamStatus = upstreamStatus;
        b.decideMicros = decideMicros; b.note = note; b.requestId = requestId; b.phase = phase; b.lostSequences = lostSequences;
        return b;
    }

    private static List<String> copy(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    /** Builds an event field by field; unset fields are empty. */
    public static final class Builder {
        private long sequence, timeMicros, latencyMicros, decideMicros;
        private String instance, principal, accessKeyId, sourceAddress, operation, table, decision, policyHash,
                errorType, tlsSubject, index, note, requestId, phase;
        private List<String> roles, ruleIds, maskedFields, removedFields, itemKeys, readPaths, writtenPaths, lostSequences;
        private int sourcePort, status, rowsDropped, itemsReturned, upstreamStatus;

        private Builder() {}

        public Builder sequence(long v) { sequence = v; return this; }
        public Builder instance(String v) { instance = v; return this; }
        public Builder timeMicros(long v) { timeMicros = v; return this; }
        public Builder principal(String v) { principal = v; return this; }
        public Builder roles(List<String> v) { roles = v; return this; }
        public Builder accessKeyId(String v) { accessKeyId = v; return this; }
        public Builder source(String address, int port) { sourceAddress = address; sourcePort = port; return this; }
        public Builder operation(String v) { operation = v; return this; }
        public Builder table(String v) { table = v; return this; }
        public Builder decision(String v) { decision = v; return this; }
        public Builder ruleIds(List<String> v) { ruleIds = v; return this; }
        public Builder policyHash(String v) { policyHash = v; return this; }
        public Builder maskedFields(List<String> v) { maskedFields = v; return this; }
        public Builder removedFields(List<String> v) { removedFields = v; return this; }
        public Builder status(int v) { status = v; return this; }
        public Builder errorType(String v) { errorType = v; return this; }
        public Builder latencyMicros(long v) { latencyMicros = v; return this; }
        public Builder tlsSubject(String v) { tlsSubject = v; return this; }
        public Builder index(String v) { index = v; return this; }
        public Builder itemKeys(List<String> v) { itemKeys = v; return this; }
        public Builder readPaths(List<String> v) { readPaths = v; return this; }
        public Builder writtenPaths(List<String> v) { writtenPaths = v; return this; }
        public Builder rowsDropped(int v) { rowsDropped = v; return this; }
        public Builder itemsReturned(int v) { itemsReturned = v; return this; }
        public Builder upstreamStatus(int v) { upstreamStatus = v; return this; }
        public Builder decideMicros(long v) { decideMicros = v; return this; }
        public Builder note(String v) { note = v; return this; }
        public Builder requestId(String v) { requestId = v; return this; }
        public Builder phase(String v) { phase = v; return this; }
        public Builder lostSequences(List<String> v) { lostSequences = v; return this; }

        public AuditEvent build() {
            return new AuditEvent(sequence, instance, timeMicros, principal, roles, accessKeyId, sourceAddress,
                    sourcePort, operation, table, decision, ruleIds, policyHash, maskedFields, removedFields, status,
                    errorType, latencyMicros, tlsSubject, index, itemKeys, readPaths, writtenPaths, rowsDropped,
                    itemsReturned, upstreamStatus, decideMicros, note, requestId, phase, lostSequences);
        }
    }
}
