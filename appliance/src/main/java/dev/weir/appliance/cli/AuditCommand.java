package dev.weir.appliance.cli;

import dev.weir.appliance.cli.audit.AuditKeygenCommand;
import dev.weir.appliance.cli.audit.AuditTailCommand;
import dev.weir.appliance.cli.audit.AuditVerifyCommand;
import picocli.CommandLine.Command;

/** {@code weir audit}: the audit trail's tools. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Audit tools: verify (integrity of a chained audit directory), tail, keygen.",
        subcommands = {AuditVerifyCommand.class, AuditTailCommand.class, AuditKeygenCommand.class})
public final class AuditCommand {
}
