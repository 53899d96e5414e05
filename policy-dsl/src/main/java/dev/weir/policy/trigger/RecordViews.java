package dev.weir.policy.trigger;

import dev.weir.policy.decision.DecisionTable;

import java.time.Instant;

/**
 * The firewall's cut of stream records for a given policy and time: the appliance supplies it
 * (proxy {@code RoleRecordView}, which policy-dsl cannot depend on) to the trigger worker and
 * to {@code ./weir policy test}, so both judge a change through the very code {@code GetRecords}
 * through weir uses.
 */
@FunctionalInterface
public interface RecordViews {

    /** Each trigger role's view of stream records under {@code policy}, with {@code now} as the request time. */
    RecordView of(DecisionTable policy, Instant now);
}
