package dev.weir.proxy.enforce;

/**
 * How far a request got through the firewall's steps:
 * {@link Received} → {@link Identified} (or {@link Unidentified}) → {@link Parsed} →
 * {@link Decided} → {@link Planned}. Each stage is an immutable record holding the one
 * before, so the last stage reached holds everything known about the request; the audit
 * reads it from there. The accessors return null for a stage the request did not reach.
 */
sealed interface Stage permits Received, Unidentified, Identified, Parsed, Decided, Planned {
    Received received();

    default Identified identified() {
        return null;
    }

    default Parsed parsed() {
        return null;
    }

    default Decided decided() {
        return null;
    }

    default Planned planned() {
        return null;
    }
}
