package dev.weir.proxy.identity;

import dev.weir.policy.decision.DecisionRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A caller weir knows: its name, the access key it signs with, the one certificate name (a
 * subject, or a SAN of one type) that identifies it over TLS (or null), its roles and the
 * attributes policies can read as {@code principal.x}. {@link #toString()} never shows the
 * secret. {@code roleSet} is {@code roles} as a set, made once here for the decisions of every
 * request the principal makes (whatever is passed for it).
 */
public record Principal(String name, String accessKeyId, String secretAccessKey, CertificateName tlsIdentity,
                        List<String> roles, Map<String, List<String>> attributes, Set<String> roleSet) {
    public Principal {
        roles = List.copyOf(roles);
        // immutable lists too, so a decision request takes the map as it is (DecisionRequest)
        attributes = DecisionRequest.immutableAttributes(attributes);
        roleSet = Set.copyOf(roles);
    }

    public Principal(String name, String accessKeyId, String secretAccessKey, CertificateName tlsIdentity, List<String> roles,
                     Map<String, List<String>> attributes) {
        this(name, accessKeyId, secretAccessKey, tlsIdentity, roles, attributes, null);
    }

    @Override public String toString() {
        return "Principal[" + name + ", key=" + accessKeyId + ", roles=" + roles + "]";
    }
}
