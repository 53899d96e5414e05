package dev.weir.appliance.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code console} block of {@code weir.yaml} (docs/console.md): where the web console listens
 * (its own listener, never the client port; loopback unless told otherwise), which roles make a
 * principal a console admin, and how long a session lives. There is no default for the admin
 * roles: a console nobody is named to sign in to is a configuration mistake, said at start-up.
 *
 * @param host       the listener's address (default 127.0.0.1)
 * @param port       the listener's port (0: any free port, for tests)
 * @param adminRoles a principal holding one of these roles (principals.yaml) may sign in with its key pair
 * @param sessionTtl how long a session lives without use; it also ends after {@link #MAX_SESSION} whatever the use
 */
public record ConsoleConfig(String host, int port, List<String> adminRoles, Duration sessionTtl) {
    /** A session ends this long after sign-in, however busy. */
    public static final Duration MAX_SESSION = Duration.ofHours(12);

    public ConsoleConfig {
        adminRoles = List.copyOf(adminRoles);
    }

    record ConsoleYaml(String host, Integer port, @JsonProperty("admin_roles") List<String> adminRoles,
                       @JsonProperty("session_minutes") Integer sessionMinutes) {}

    /** The file's console block, or null when it has none (no console). */
    public static ConsoleConfig load(Path file) throws ConfigException {
        ConsoleYaml c = YamlFiles.read(file, ConfigLoader.ConfigYaml.class).console();
        if (c == null) return null;
        int port = c.port() == null ? 8003 : c.port();
        if (port < 0 || port > 65_535) throw YamlFiles.at(file, "console.port must be from 0 to 65535", "console", "port");
        if (c.adminRoles() == null || c.adminRoles().isEmpty()
                || c.adminRoles().stream().anyMatch(r -> r == null || r.isBlank())) {
            throw YamlFiles.at(file, "console.admin_roles is required: the roles (principals.yaml) whose principals may "
                    + "sign in to the console, e.g. [admin]", "console");
        }
        int minutes = c.sessionMinutes() == null ? 30 : c.sessionMinutes();
        if (minutes < 1 || minutes > 720) {
            throw YamlFiles.at(file, "console.session_minutes must be from 1 to 720", "console", "session_minutes");
        }
        return new ConsoleConfig(c.host() == null ? "127.0.0.1" : c.host(), port, c.adminRoles(), Duration.ofMinutes(minutes));
    }
}
