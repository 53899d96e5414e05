package dev.weir.policy.ast;

import java.util.Locale;

/** What a rule does when it matches. */
public enum Effect {
    ALLOW, DENY;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
