package dev.weir.appliance.console;

import dev.weir.appliance.config.ConfigLoader.PrincipalEntry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Supplier;

/**
 * Who may sign in to the console: a principal of the principals file in force whose roles
 * include one of {@code console.admin_roles}, proving it with its access key id and secret
 * access key (the key pair it signs DynamoDB requests with). The secret is compared in constant
 * time; the answer to the browser never says which part was wrong, the audit record does.
 */
final class Admins {
    /** The outcome of a sign-in attempt. */
    sealed interface Attempt permits Admitted, Refused {}

    record Admitted(String principal, List<String> roles, String accessKeyId) implements Attempt {}

    /**
     * @param principal   the principal the key belongs to, or null when the key is unknown
     * @param accessKeyId the key id when it is a known one (an unknown one is not recorded: it may be a mistyped secret)
     * @param why         for the audit record only
     */
    record Refused(String principal, String accessKeyId, String why) implements Attempt {}

    private final Supplier<List<PrincipalEntry>> principals;
    private final List<String> adminRoles;

    Admins(Supplier<List<PrincipalEntry>> principals, List<String> adminRoles) {
        this.principals = principals;
        this.adminRoles = List.copyOf(adminRoles);
    }

    Attempt signIn(String accessKeyId, String secret) {
        if (accessKeyId == null || accessKeyId.isEmpty() || secret == null || secret.isEmpty()) {
            return new Refused(null, null, "access key id or secret missing");
        }
        PrincipalEntry p = principals.get().stream().filter(e -> e.accessKeyId().equals(accessKeyId)).findFirst().orElse(null);
        if (p == null) {
            // spend the same work as for a known key, so timing does not tell known keys from unknown ones
            MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
            return new Refused(null, null, "unknown access key id");
        }
        boolean secretOk = MessageDigest.isEqual(p.secretAccessKey().getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8));
        if (!secretOk) return new Refused(p.name(), p.accessKeyId(), "wrong secret access key");
        if (p.roles().stream().noneMatch(adminRoles::contains)) {
            return new Refused(p.name(), p.accessKeyId(), "the principal holds none of console.admin_roles " + adminRoles);
        }
        return new Admitted(p.name(), p.roles(), p.accessKeyId());
    }
}
