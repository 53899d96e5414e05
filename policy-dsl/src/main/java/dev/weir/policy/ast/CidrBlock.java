package dev.weir.policy.ast;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An address block, IPv4 or IPv6: {@code 10.0.0.0/8}, {@code 127.0.0.1} (/32),
 * {@code "fd00::/8"}. Host bits set below the prefix are an error ({@code 10.0.0.1/8}).
 *
 * @param address the network address, 4 or 16 bytes
 * @param prefix  the prefix length in bits
 */
public record CidrBlock(byte[] address, int prefix) {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(/[0-9]{1,3})?");

    public CidrBlock {
        address = address.clone();
    }

    /** The block, or an error message. */
    public static Result parse(String text) {
        if (!LITERAL.matcher(text).matches()) return new Result(Optional.empty(), "not an IP address or CIDR block: '" + text + "'");
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (!host.contains(":") && !host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return new Result(Optional.empty(), "not an IP address or CIDR block: '" + text + "'");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.ofLiteral(host).getAddress();
        } catch (IllegalArgumentException e) {
            return new Result(Optional.empty(), "not an IP address: '" + host + "'");
        }
        int bits = bytes.length * 8, prefix = bits;
        if (slash >= 0) {
            prefix = Integer.parseInt(text.substring(slash + 1));
            if (prefix > bits) return new Result(Optional.empty(), "prefix /" + prefix + " is longer than " + bits + " bits");
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                return new Result(Optional.empty(), "'" + text + "' has host bits set below the /" + prefix + " prefix");
            }
        }
        return new Result(Optional.of(new CidrBlock(bytes, prefix)), null);
    }

    /** A parsed block or why not. */
    public record Result(Optional<CidrBlock> block, String error) {}

    /** Whether an address (4 or 16 bytes) lies in this block. An IPv4-mapped IPv6 address counts as IPv4. */
    public boolean contains(byte[] ip) {
        if (ip == null) return false;
        byte[] a = ip;
        int offset = 0;
        if (a.length == 16 && address.length == 4 && isMappedV4(a)) offset = 12;
        else if (a.length != address.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[offset + i] != address[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[offset + full] & mask) == (address[full] & mask);
    }

    private static boolean isMappedV4(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    @Override public boolean equals(Object o) {
        return o instanceof CidrBlock c && c.prefix == prefix && Arrays.equals(c.address, address);
    }

    @Override public int hashCode() {
        return Arrays.hashCode(address) * 31 + prefix;
    }

    @Override public String toString() {
        try {
            String host = InetAddress.getByAddress(address).getHostAddress();
            return prefix == address.length * 8 ? host : host + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
