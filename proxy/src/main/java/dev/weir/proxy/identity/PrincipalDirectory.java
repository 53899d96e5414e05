package dev.weir.proxy.identity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Immutable lookup of principals by access key id; built once per principals file load. */
public final class PrincipalDirectory {
    private final Map<String, Principal> byAccessKey;

    public PrincipalDirectory(List<Principal> principals) {
        Map<String, Principal> m = new HashMap<>();
        for (Principal p : principals) {
            if (m.putIfAbsent(p.accessKeyId(), p) != null) {
                throw new IllegalArgumentException("access key id " + p.accessKeyId() + " is given to two principals");
            }
        }
        this.byAccessKey = Map.copyOf(m);
    }

    /** The principal signing with that key, or null. */
    public Principal byAccessKey(String accessKeyId) {
        return accessKeyId == null ? null : byAccessKey.get(accessKeyId);
    }

    public int size() {
        return byAccessKey.size();
    }
}
