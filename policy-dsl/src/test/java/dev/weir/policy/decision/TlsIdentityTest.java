package dev.weir.policy.decision;

import dev.weir.policy.Policies;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A certificate subject attribute is the set of its values: no RDN order changes what a policy sees or decides. */
class TlsIdentityTest {
    @Test
    void anAttributeWithSeveralValuesIsTheSortedListOfThemInEveryRdnOrder() {
        List<String> orders = List.of("CN=etl,OU=a,OU=batch,O=Example", "CN=etl,OU=batch,OU=a,O=Example",
                "O=Example,OU=batch,CN=etl,OU=a", "CN=etl,OU=a+OU=batch,O=Example", "cn=etl, ou=batch, ou=a, o=Example");
        for (String dn : orders) {
            TlsIdentity t = TlsIdentity.of(dn, List.of());
            assertEquals(List.of("a", "batch"), t.subject().get("ou"), dn);
            assertEquals(List.of("etl"), t.subject().get("cn"), dn);
            assertEquals(List.of("Example"), t.subject().get("o"), dn);
        }
        assertEquals(List.of("batch"), TlsIdentity.of("CN=x,OU=batch,OU=batch", List.of()).subject().get("ou"));
    }

    @Test
    void escapesAreReadAndHexValuesStayHex() {
        TlsIdentity t = TlsIdentity.of("CN=Smith\\, John,OU=R\\+D,1.2.840.113549.1.9.1=#160e61646140657861632e6f72672e75", List.of());
        assertEquals(List.of("Smith, John"), t.subject().get("cn"));
        assertEquals(List.of("R+D"), t.subject().get("ou"));
        assertEquals(List.of("#160e61646140657861632e6f72672e75"), t.subject().get("1.2.840.113549.1.9.1"));
    }

    @Test
    void somethingThatIsNotADistinguishedNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsIdentity.of("CN=a,,=b", List.of()));
        assertEquals("not a distinguished name (RFC 2253): CN=a,,=b", e.getMessage());
        assertEquals(Map.of(), TlsIdentity.of("", List.of()).subject());
    }

    /** The shipped rule, in the membership form the checker asks for, decides alike for both orders of two OUs. */
    @Test
    void twoOuCertificatesInBothRdnOrdersDecideTheSame() {
        DecisionTable t = Policies.table("""
                role a
                @id("all") allow a on table t op *
                @id("cert") deny * on table t op Scan when not ("batch" in ctx.tls.subject.ou) reason "batch certificate"
                @id("ops") deny * on table t op Query when contains(ctx.tls.subject.ou, "ops") reason "no ops"
                """);
        for (String dn : List.of("CN=j,OU=a,OU=batch", "CN=j,OU=batch,OU=a", "CN=j,OU=batch+OU=a")) {
            Context c = Context.NONE.withTls(TlsIdentity.of(dn, List.of()));
            assertInstanceOf(Allowed.class, t.decide(new DecisionRequest(Set.of("a"), "t", Operation.Scan).withContext(c)), dn);
            assertInstanceOf(Allowed.class, t.decide(new DecisionRequest(Set.of("a"), "t", Operation.Query).withContext(c)), dn);
        }
        for (String dn : List.of("CN=j,OU=a,OU=ops", "CN=j,OU=ops,OU=a")) {
            Context c = Context.NONE.withTls(TlsIdentity.of(dn, List.of()));
            assertInstanceOf(Forbidden.class, t.decide(new DecisionRequest(Set.of("a"), "t", Operation.Scan).withContext(c)), dn);
            assertInstanceOf(Forbidden.class, t.decide(new DecisionRequest(Set.of("a"), "t", Operation.Query).withContext(c)), dn);
        }
        assertInstanceOf(Forbidden.class, t.decide(new DecisionRequest(Set.of("a"), "t", Operation.Scan)), "no certificate");
    }
}
