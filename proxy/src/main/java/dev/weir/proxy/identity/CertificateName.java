package dev.weir.proxy.identity;

import javax.security.auth.x500.X500Principal;
import java.net.InetAddress;
import java.util.Locale;

/**
 * One name of a verified TLS client certificate, with its type: the subject distinguished
 * name, or a subject alternative name of one of the types that can identify (DNS name, URI,
 * e-mail address, IP address). A principal's {@code tls_identity} is one of these, and a
 * certificate identifies the principal only through a name of the <em>same type</em> and
 * value: a DNS SAN never matches an e-mail identity, a DirName SAN never matches a subject
 * (it is not a {@code CertificateName} at all), so a certificate for {@code CN=mallory} with a
 * SAN that reads like an admin's subject is not the admin.
 *
 * <p>Values are kept in a canonical form, so that equal names are equal records: subjects as
 * {@code X500Principal#getName(CANONICAL)} (spacing, case of attribute types and of values,
 * encodings are the JDK's), DNS names in lower case without a trailing dot, the domain of an
 * e-mail address in lower case (the local part is kept as is), IP addresses as the JDK prints
 * the parsed literal; URIs are compared exactly.
 *
 * @throws IllegalArgumentException (from the constructor) if the value is not a name of its type
 */
public record CertificateName(Type type, String value) {
    /** The name types that can identify, with the key the principals file gives each. */
    public enum Type {
        SUBJECT("subject"), DNS("dns"), URI("uri"), EMAIL("email"), IP("ip");

        private final String key;

        Type(String key) {
            this.key = key;
        }

        /** The key in the principals file ({@code tls_identity: {dns: ...}}). */
        public String key() {
            return key;
        }

        /** The type a principals file key names, or null. */
        public static Type byKey(String key) {
            for (Type t : values()) if (t.key.equals(key)) return t;
            return null;
        }

        /**
         * The type of a subject alternative name by its GeneralName tag (RFC 5280: 1
         * rfc822Name, 2 dNSName, 6 uniformResourceIdentifier, 7 iPAddress), or null for the
         * tags that never identify (otherName, x400Address, directoryName, ediPartyName,
         * registeredID).
         */
        public static Type ofGeneralNameTag(int tag) {
            return switch (tag) {
                case 1 -> EMAIL;
                case 2 -> DNS;
                case 6 -> URI;
                case 7 -> IP;
                default -> null;
            };
        }
    }

    public CertificateName {
        if (type == null) throw new IllegalArgumentException("a certificate name needs a type");
        if (value == null || value.isBlank()) throw new IllegalArgumentException("an empty " + type.key + " name");
        value = canonical(type, value);
    }

    public static CertificateName subject(String distinguishedName) {
        return new CertificateName(Type.SUBJECT, distinguishedName);
    }

    private static String canonical(Type type, String value) {
        return switch (type) {
            case SUBJECT -> {
                String canonical;
                try {
                    canonical = new X500Principal(value).getName(X500Principal.CANONICAL);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not a distinguished name (RFC 2253, e.g. \"CN=etl,OU=batch,O=Example\"): "
                            + value);
                }
                if (canonical.isEmpty()) throw new IllegalArgumentException("an empty subject");
                yield canonical;
            }
            case DNS -> {
                String v = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
                if (!v.matches("[A-Za-z0-9_*-]+(\\.[A-Za-z0-9_*-]+)*")) {
                    throw new IllegalArgumentException("not a DNS name: " + value);
                }
                yield v.toLowerCase(Locale.ROOT);
            }
            case EMAIL -> {
                int at = value.lastIndexOf('@');
                if (at <= 0 || at == value.length() - 1 || value.chars().anyMatch(c -> c <= ' ')) {
                    throw new IllegalArgumentException("not an e-mail address (local@domain): " + value);
                }
                yield value.substring(0, at + 1) + value.substring(at + 1).toLowerCase(Locale.ROOT);
            }
            case URI -> {
                if (value.chars().anyMatch(c -> c <= ' ') || !value.contains(":")) {
                    throw new IllegalArgumentException("not a URI: " + value);
                }
                yield value;
            }
            case IP -> {
                try {
                    yield InetAddress.ofLiteral(value).getHostAddress();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not an IP address: " + value);
                }
            }
        };
    }

    @Override public String toString() {
        return type.key + ":" + value;
    }
}
