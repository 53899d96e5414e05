package dev.weir.policy.decision;

import java.util.List;

/**
 * The verdict on one request, naming the rules that decided it.
 * <ul>
 *   <li>{@link Forbidden}: at least one deny matched; it wins over every allow.</li>
 *   <li>{@link NotPermitted}: nothing denied, but no allow matched either (default deny).</li>
 *   <li>{@link Allowed}: no deny and at least one allow matched; carries the field plan.</li>
 * </ul>
 */
public sealed interface Decision permits Allowed, Forbidden, NotPermitted {

    /** The ids of the rules that decided, sorted: all matching denies, or all matching allows. */
    List<String> ruleIds();
}
