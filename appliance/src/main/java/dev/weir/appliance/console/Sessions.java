package dev.weir.appliance.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in console admins. A session id is 256 random bits (SecureRandom), sent only in an
 * HttpOnly, SameSite=Strict cookie; each session has its own CSRF token, as random, that every
 * state-changing form carries back. A session ends when unused for the configured time, at
 * {@code maxAge} after sign-in whatever the use, or at sign-out; ids are never reused and
 * compared only through the map's lookup of the whole id.
 */
final class Sessions {
    /** Who signed in, and the session's CSRF token. */
    record Session(String id, String principal, List<String> roles, String accessKeyId, String csrf, Instant started,
                   Instant lastUsed) {
        Session touched(Instant now) {
            return new Session(id, principal, roles, accessKeyId, csrf, started, now);
        }
    }

    /** Sessions at once; a new sign-in beyond this ends the oldest (a flood of sign-ins cannot fill memory). */
    static final int MAX_SESSIONS = 256;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration maxAge;
    private final Clock clock;

    Sessions(Duration idle, Duration maxAge, Clock clock) {
        this.idle = idle;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** A new session for this admin. */
    Session open(String principal, List<String> roles, String accessKeyId) {
        Instant now = clock.instant();
        expire(now);
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(java.util.Comparator.comparing(Session::started))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        Session s = new Session(token(), principal, List.copyOf(roles), accessKeyId, token(), now, now);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id (its idle time restarted), or null. */
    Session find(String id) {
        if (id == null || id.isEmpty()) return null;
        Instant now = clock.instant();
        Session s = sessions.get(id);
        if (s == null) return null;
        if (expired(s, now)) {
            sessions.remove(id);
            return null;
        }
        Session touched = s.touched(now);
        sessions.replace(id, s, touched);
        return touched;
    }

    void close(String id) {
        if (id != null) sessions.remove(id);
    }

    /** Seconds a fresh session's cookie lives (the idle time; the server ends it sooner if need be). */
    long cookieSeconds() {
        return idle.toSeconds();
    }

    int size() {
        return sessions.size();
    }

    private boolean expired(Session s, Instant now) {
        return now.isAfter(s.lastUsed().plus(idle)) || now.isAfter(s.started().plus(maxAge));
    }

    private void expire(Instant now) {
        sessions.values().removeIf(s -> expired(s, now));
    }

    /** 256 random bits, base64url without padding. */
    String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Compares two tokens in time independent of where they differ; null never matches. */
    static boolean same(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
