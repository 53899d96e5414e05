package dev.weir.proxy.identity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable lookup of principals by access key id and by TLS identity (certificate subject
 * or subject alternative name); built once per principals file load.
 */
public final class PrincipalDirectory {
    private final Map<String, Principal> byAccessKey;
    private final Map<String, Principal> byTlsIdentity;

    public PrincipalDirectory(List<Principal> principals) {
        Map<String, Principal> keys = new HashMap<>();
        Map<String, Principal> tls = new HashMap<>();
        for (Principal p : principals) {
            if (keys.putIfAbsent(p.accessKeyId(), p) != null) {
                throw new IllegalArgumentException("access key id " + p.accessKeyId() + " is given to two principals");
            }
            if (p.tlsIdentity() != null && tls.putIfAbsent(p.tlsIdentity(), p) != null) {
                throw new IllegalArgumentException("TLS identity " + p.tlsIdentity() + " is given to two principals");
            }
        }
        this.byAccessKey = Map.copyOf(keys);
        this.byTlsIdentity = Map.copyOf(tls);
    }

    /** The principal a verified client certificate names, by subject first, then by SAN; or null. */
    public Principal byTlsPeer(TlsPeer peer) {
        if (peer == null) return null;
        Principal p = byTlsIdentity.get(peer.subject());
        if (p != null) return p;
        for (String san : peer.subjectAltNames()) {
            p = byTlsIdentity.get(san);
            if (p != null) return p;
        }
        return null;
    }

    /** The principal signing with that key, or null. */
    public Principal byAccessKey(String accessKeyId) {
        return accessKeyId == null ? null : byAccessKey.get(accessKeyId);
    }

    public int size() {
        return byAccessKey.size();
    }
}
