package dev.weir.appliance;

import dev.weir.appliance.cli.WeirCommand;
import picocli.CommandLine;

/** Entry point of {@code weir.jar}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = new CommandLine(new WeirCommand()).execute(args);
        if (code != 0) System.exit(code);
    }
}
