package dev.weir.proxy.enforce;

import dev.weir.policy.decision.Allowed;
import dev.weir.proxy.enforce.request.Part;
import dev.weir.proxy.enforce.verdict.Refusals;

/**
 * What the proxy cannot enforce on a read and so refuses: under a row filter,
 * {@code Select: COUNT} would count hidden rows, so it is refused (FORBIDDEN). (What a write
 * may write is {@link dev.weir.proxy.enforce.flow.WriteGuard}'s.)
 */
final class WriteRules {
    private WriteRules() {}

    static void check(Part part, Allowed allowed, Refusals refuse) {
        switch (part.acts()) {
            case Query, Scan -> {
                if (!allowed.rows().isAll() && "COUNT".equals(part.text("Select"))) {
                    throw refuse.forbidden("Select COUNT would count rows the caller may not see");
                }
            }
            default -> { }
        }
    }
}
