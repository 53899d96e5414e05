package dev.weir.policy;

import dev.weir.policy.decision.Allowed;
import dev.weir.policy.decision.Context;
import dev.weir.policy.decision.DecisionRequest;
import dev.weir.policy.decision.Forbidden;
import dev.weir.policy.decision.TlsIdentity;
import dev.weir.protocol.model.Operation;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The three rules of the issue's sketch, verbatim, compile and mean what they say. */
class IssueSketchTest {
    static final String SKETCH = """
            role analyst
            role support extends analyst
            role writer

            @id("people-read")
            allow analyst on table people op [GetItem, Query, Scan, BatchGetItem]
              when ctx.source in [10.0.0.0/8, 127.0.0.0/8] and ctx.time in 07:00..19:00 "Europe/Berlin"
              rows where item.region == principal.region
              fields [id, name, region, email, ssn, address.*]
              mask ssn show_last(4)
              mask email hmac(key: "pseudonym")

            @id("no-bulk-off-cert")
            deny * on table people op [Scan] when not ("batch" in ctx.tls.subject.ou)
              reason "bulk reads need the batch certificate"

            @id("ingest-write")
            allow writer on table people op [PutItem, UpdateItem]
              fields [id, name, region, email, address.*]
              require item.region in principal.regions
            """;

    @Test
    void compilesWithoutDiagnosticsAndDecides() {
        LoadResult r = Policies.load("sketch.weir", SKETCH);
        assertEquals(List.of(), r.diagnostics());
        var table = r.table().orElseThrow();
        Context office = Context.of(InetAddress.ofLiteral("10.0.0.7"), Instant.parse("2025-01-06T08:00:00Z"));
        var read = new DecisionRequest("ada", Set.of("support"), Map.of("region", List.of("eu")), "people", Operation.GetItem, office);
        assertEquals(List.of("people-read"), assertInstanceOf(Allowed.class, table.decide(read)).ruleIds());
        var scan = read.withContext(office.withTls(TlsIdentity.of("CN=x,OU=ops", List.of()))).withContext(office);
        assertInstanceOf(Forbidden.class, table.decide(new DecisionRequest("ada", Set.of("analyst"), Map.of(), "people", Operation.Scan, office)));
        assertInstanceOf(Allowed.class, table.decide(new DecisionRequest("ada", Set.of("analyst"), Map.of(), "people", Operation.Scan,
                office.withTls(TlsIdentity.of("CN=x,OU=batch", List.of())))));
        assertEquals(scan.table(), "people");
    }
}
