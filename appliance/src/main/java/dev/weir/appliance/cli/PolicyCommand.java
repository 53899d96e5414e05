package dev.weir.appliance.cli;

import dev.weir.appliance.cli.policy.PolicyCheckCommand;
import dev.weir.appliance.cli.policy.PolicyExplainCommand;
import dev.weir.appliance.cli.policy.PolicyFmtCommand;
import dev.weir.appliance.cli.policy.PolicyReplayCommand;
import dev.weir.appliance.cli.policy.PolicyTestCommand;
import picocli.CommandLine.Command;

/** {@code weir policy}: the policy tools. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Policy tools: check, test, fmt, explain, replay.",
        subcommands = {PolicyCheckCommand.class, PolicyTestCommand.class, PolicyFmtCommand.class,
                PolicyExplainCommand.class, PolicyReplayCommand.class})
public final class PolicyCommand {
}
