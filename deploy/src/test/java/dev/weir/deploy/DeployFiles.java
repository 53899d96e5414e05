package dev.weir.deploy;

import java.nio.file.Path;

/** Where the deploy module's files are, from its tests (run in the module's folder). */
final class DeployFiles {
    private DeployFiles() {}

    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path CHART = MODULE.resolve("helm/weir");
    static final Path UNIT = MODULE.resolve("systemd/weir.service");
}
