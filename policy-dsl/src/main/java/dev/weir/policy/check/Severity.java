package dev.weir.policy.check;

import java.util.Locale;

/** An error refuses the policy set; a warning is reported and the policy still loads. */
public enum Severity {
    ERROR, WARNING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
