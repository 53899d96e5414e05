package dev.weir.dpdk;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the bridge needs to start: DPDK's EAL arguments (they name the device, e.g.
 * {@code --vdev net_af_packet0,iface=eth1}), the IPv4 address, netmask and gateway lwIP answers
 * on, the port's MAC address (null: the device's own), the shim library (null: the one built
 * into this module), and how long the poller sleeps when there is nothing to do (0: it spins,
 * which is DPDK's usual way and costs a whole core).
 */
public record DpdkSettings(List<String> ealArgs, String ip, String netmask, String gateway, String mac, Path library,
                           long idleParkNanos) {
    public DpdkSettings {
        ealArgs = List.copyOf(ealArgs);
        Objects.requireNonNull(ip, "ip");
        netmask = netmask == null ? "255.255.255.0" : netmask;
        gateway = gateway == null ? "0.0.0.0" : gateway;
        if (idleParkNanos < 0) throw new IllegalArgumentException("idleParkNanos < 0");
    }

    /** Whether the EAL arguments ask DPDK to run without hugepages. */
    public boolean noHugepages() {
        return ealArgs.contains("--no-huge");
    }
}
