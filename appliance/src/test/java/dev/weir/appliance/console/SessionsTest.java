package dev.weir.appliance.console;

import dev.weir.appliance.config.ConfigLoader.PrincipalEntry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions, the admin check and the sign-in throttle. */
class SessionsTest {
    /** A clock the test moves. */
    static final class Moving extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void idsAreRandom256BitsAndTheCsrfTokenIsAnother() {
        Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(12), Clock.systemUTC());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Sessions.Session s = sessions.open("admin", List.of("admin"), "K");
            assertEquals(43, s.id().length());
            assertTrue(s.id().matches("[A-Za-z0-9_-]{43}"));
            assertNotEquals(s.id(), s.csrf());
            assertTrue(ids.add(s.id()));
        }
        assertNull(sessions.find("not-a-session"));
        assertNull(sessions.find(null));
    }

    @Test
    void aSessionEndsWhenIdleAndAtItsMaximumAgeWhateverTheUse() {
        Moving clock = new Moving();
        Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(1), clock);
        Sessions.Session idle = sessions.open("admin", List.of("admin"), "K");
        clock.now = clock.now.plus(Duration.ofMinutes(31));
        assertNull(sessions.find(idle.id()), "idle past its time");

        Sessions.Session busy = sessions.open("admin", List.of("admin"), "K");
        for (int i = 0; i < 5; i++) {
            clock.now = clock.now.plus(Duration.ofMinutes(11));
            assertNotNull(sessions.find(busy.id()), "used every 11 minutes");
        }
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertNull(sessions.find(busy.id()), "past the maximum age");

        Sessions.Session out = sessions.open("admin", List.of("admin"), "K");
        sessions.close(out.id());
        assertNull(sessions.find(out.id()));
    }

    @Test
    void tokensCompareWhole() {
        assertTrue(Sessions.same("abc", "abc"));
        assertFalse(Sessions.same("abc", "abd"));
        assertFalse(Sessions.same("abc", "ab"));
        assertFalse(Sessions.same(null, "abc"));
        assertFalse(Sessions.same(null, null));
    }

    @Test
    void onlyAPrincipalWithAnAdminRoleAndItsSecretSignsIn() {
        List<PrincipalEntry> principals = List.of(
                new PrincipalEntry("root", "KADMIN", "s3cret", null, List.of("ops", "admin"), Map.of()),
                new PrincipalEntry("ana", "KANA", "ana-secret", null, List.of("analyst"), Map.of()));
        Admins admins = new Admins(() -> principals, List.of("admin"));
        Admins.Admitted ok = assertInstanceOf(Admins.Admitted.class, admins.signIn("KADMIN", "s3cret"));
        assertEquals("root", ok.principal());
        Admins.Refused wrong = assertInstanceOf(Admins.Refused.class, admins.signIn("KADMIN", "s3cret!"));
        assertEquals("root", wrong.principal());
        assertEquals("wrong secret access key", wrong.why());
        Admins.Refused notAdmin = assertInstanceOf(Admins.Refused.class, admins.signIn("KANA", "ana-secret"));
        assertTrue(notAdmin.why().contains("admin_roles"));
        Admins.Refused unknown = assertInstanceOf(Admins.Refused.class, admins.signIn("s3cret", "x"));
        assertNull(unknown.accessKeyId(), "an unknown key id (perhaps a secret typed in the wrong box) is not recorded");
        assertInstanceOf(Admins.Refused.class, admins.signIn("KADMIN", ""));
        assertInstanceOf(Admins.Refused.class, admins.signIn(null, null));
    }

    @Test
    void tooManyRefusedSignInsFromOneAddressAreThrottledForAWhile() {
        long[] now = {0};
        SignInThrottle t = new SignInThrottle(() -> now[0]);
        for (int i = 0; i < SignInThrottle.LIMIT; i++) {
            assertTrue(t.allows("10.0.0.1"));
            t.failed("10.0.0.1");
        }
        assertFalse(t.allows("10.0.0.1"));
        assertTrue(t.allows("10.0.0.2"), "another address is not held back");
        now[0] += SignInThrottle.WINDOW_NANOS + 1;
        assertTrue(t.allows("10.0.0.1"), "after the window");
        t.failed("10.0.0.3");
        t.succeeded("10.0.0.3");
        assertTrue(t.allows("10.0.0.3"));
    }
}
