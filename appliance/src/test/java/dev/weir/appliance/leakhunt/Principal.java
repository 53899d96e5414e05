package dev.weir.appliance.leakhunt;

import java.util.List;
import java.util.Map;

/** A principal of a sequence: its key pair, roles and attributes (each a list of strings). */
record Principal(String name, String accessKey, String secret, List<String> roles, Map<String, List<String>> attributes) {
    Principal {
        roles = List.copyOf(roles);
        attributes = Map.copyOf(attributes);
    }

    dev.weir.proxy.identity.Principal toWeir() {
        return new dev.weir.proxy.identity.Principal(name, accessKey, secret, null, roles, attributes);
    }

    @Override public String toString() {
        return name + " roles=" + roles + " attributes=" + new java.util.TreeMap<>(attributes);
    }
}
