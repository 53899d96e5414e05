package dev.weir.proxy.identity;

import java.util.List;
import java.util.Map;

/**
 * A caller weir knows: its name, the access key it signs with, the one certificate name (a
 * subject, or a SAN of one type) that identifies it over TLS (or null), its roles and the
 * attributes policies can read as {@code principal.x}. {@link #toString()} never shows the
 * secret.
 */
public record Principal(String name, String accessKeyId, String secretAccessKey, CertificateName tlsIdentity,
                        List<String> roles, Map<String, List<String>> attributes) {
    public Principal {
        roles = List.copyOf(roles);
        attributes = Map.copyOf(attributes);
    }

    @Override public String toString() {
        return "Principal[" + name + ", key=" + accessKeyId + ", roles=" + roles + "]";
    }
}
