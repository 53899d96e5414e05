package dev.weir.proxy.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable lookup of principals by access key id and by TLS identity (a certificate name of
 * one type, see {@link CertificateName}); built once per principals file load.
 */
public final class PrincipalDirectory {
    private final Map<String, Principal> byAccessKey;
    private final Map<CertificateName, Principal> byTlsIdentity;

    public PrincipalDirectory(List<Principal> principals) {
        Map<String, Principal> keys = new HashMap<>();
        Map<CertificateName, Principal> tls = new HashMap<>();
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

    /**
     * The principals a verified client certificate names: each of its names (the subject and
     * the identifying SANs) is looked up as a name of its own type. Usually none or one; more
     * than one means the certificate names several principals, which identifies none of them.
     */
    public List<Principal> byTlsPeer(TlsPeer peer) {
        if (peer == null) return List.of();
        List<Principal> out = new ArrayList<>(1);
        for (CertificateName name : peer.names()) {
            Principal p = byTlsIdentity.get(name);
            if (p != null && !out.contains(p)) out.add(p);
        }
        return out;
    }

    /** The principal signing with that key, or null. */
    public Principal byAccessKey(String accessKeyId) {
        return accessKeyId == null ? null : byAccessKey.get(accessKeyId);
    }

    public int size() {
        return byAccessKey.size();
    }
}
