package dev.weir.appliance.cli;

import picocli.CommandLine.Command;

/** The {@code weir} command; each capability is a subcommand. */
@Command(name = "weir", mixinStandardHelpOptions = true, version = "weir 0.1.0",
        description = "weir: a data firewall for DynamoDB-API stores.",
        subcommands = {UpCommand.class, StoreCommand.class, PolicyCommand.class, AuditCommand.class})
public final class WeirCommand {
}
