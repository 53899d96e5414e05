package dev.weir.policy.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.policy.trigger.TriggerSpec;

import java.util.List;
import java.util.Optional;

/**
 * A stream record cut through a trigger role's read view, exactly as that role would get it
 * from GetRecords through weir. The appliance supplies the firewall's own code (proxy
 * {@code enforce/stream/RoleRecordView}: the role's decision, {@code ReadView},
 * {@code StreamAccess}, {@code RecordCut}), so this module never re-implements the cut.
 */
@FunctionalInterface
public interface RecordView {

    /**
     * The record as the role sees it, or empty when it sees no side of the change.
     *
     * @param record        the record as the store wrote it
     * @param viewType      the stream's {@code StreamViewType}
     * @param keyAttributes the table's key attributes
     * @throws Refused when the role may not read the stream's records at all (with the reason)
     */
    Optional<ObjectNode> cut(TriggerSpec trigger, JsonNode record, String viewType, List<String> keyAttributes) throws Refused;

    /** The role may not read the stream: the trigger waits, and the reason is reported. */
    final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }
}
