package dev.weir.audit.format;

import dev.weir.audit.event.AuditEvent;

/** What an event means in the vocabulary SIEMs share: activity, severity, outcome. */
final class Classification {
    private Classification() {}

    /** OCSF Datastore Activity activity_id for a DynamoDB operation. */
    static int activityId(String operation) {
        if (operation == null) return 0;
        return switch (operation) {
            case "GetItem", "BatchGetItem", "TransactGetItems", "DescribeTable", "DescribeTimeToLive" -> 1;
            case "UpdateItem", "UpdateTable", "UpdateTimeToLive" -> 2;
            case "Query", "Scan", "ExecuteStatement", "BatchExecuteStatement" -> 4;
            case "PutItem", "BatchWriteItem", "TransactWriteItems" -> 5;
            case "CreateTable" -> 6;
            case "DeleteItem", "DeleteTable" -> 7;
            case "ListTables" -> 8;
            default -> 99;
        };
    }

    static String activityName(int id) {
        return switch (id) {
            case 0 -> "Unknown";
            case 1 -> "Read";
            case 2 -> "Update";
            case 4 -> "Query";
            case 5 -> "Write";
            case 6 -> "Create";
            case 7 -> "Delete";
            case 8 -> "List";
            default -> "Other";
        };
    }

    static boolean denied(AuditEvent e) {
        return e.decision() != null && switch (e.decision()) {
            case "FORBIDDEN", "NOT_PERMITTED", "UNAUTHENTICATED", "INVALID", "UNENFORCEABLE", "REFUSED" -> true;
            default -> false;
        };
    }

    static boolean gap(AuditEvent e) {
        return "DROPPED".equals(e.decision());
    }

    static boolean success(AuditEvent e) {
        return e.status() < 400 && !denied(e) && !gap(e);
    }

    /**
     * True for a {@link AuditEvent#DECISION} record: the request was permitted and is about to be
     * forwarded, so its outcome is not known yet (its {@link AuditEvent#OUTCOME} record says it).
     */
    static boolean pending(AuditEvent e) {
        return AuditEvent.DECISION.equals(e.phase());
    }

    /** The outcome word SIEMs share: success, failure, or unknown for a decision record. */
    static String outcome(AuditEvent e) {
        return pending(e) ? "unknown" : success(e) ? "success" : "failure";
    }

    /** What was done: the operation, or "unknown" when the request named none weir could read. */
    static String action(AuditEvent e) {
        return e.operation() == null ? "unknown" : e.operation();
    }

    /** OCSF severity_id: 1 informational, 3 medium (a denial), 4 high (lost audit events). */
    static int ocsfSeverity(AuditEvent e) {
        return gap(e) ? 4 : denied(e) ? 3 : 1;
    }

    /** CEF severity 0..10. */
    static int cefSeverity(AuditEvent e) {
        return gap(e) ? 8 : denied(e) ? 6 : e.status() >= 500 ? 5 : 3;
    }

    /** Syslog severity: 3 error (lost events), 5 notice (a denial), 6 informational. */
    static int syslogSeverity(AuditEvent e) {
        return gap(e) ? 3 : denied(e) ? 5 : 6;
    }
}
