package dev.weir.dpdk.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A place to run the dpdk transport on one machine (the tests and the benchmark use it): a
 * client network namespace {@code <prefix>-cli} joined by a veth pair to this namespace, where
 * DPDK's {@code net_af_packet} driver takes the near end ({@code <prefix>-v0}, no kernel address,
 * no forwarding: its frames belong to lwIP) and the client has {@code 10.217.<subnet>.1/24};
 * the bridge answers on {@code .2}. Checksum and segmentation offloads are off on both ends (the
 * kernel would hand af_packet unchecksummed or 64 KB frames). {@link #addKernelPair} adds a
 * second, ordinary veth pair from the same client namespace, for comparing with kernel TCP.
 * Needs root; {@link #close} (and {@link #open}, for stale ones) removes them all.
 */
public final class LabNetwork implements AutoCloseable {
    private final String prefix;
    private final int subnet;
    private final long previousHugepages;
    private int kernelSubnet = -1;

    private LabNetwork(String prefix, int subnet, long previousHugepages) {
        this.prefix = prefix;
        this.subnet = subnet;
        this.previousHugepages = previousHugepages;
    }

    /**
     * Installs what DPDK needs ({@code scripts/dpdk} under {@code root}), reserves hugepages so
     * that at least {@code hugepages} 2 MB pages are free, and builds the namespace and veth pair.
     */
    public static LabNetwork open(Path root, String prefix, int subnet, int hugepages) throws IOException {
        if (prefix.length() > 9) throw new IllegalArgumentException("prefix too long for interface names: " + prefix);
        run(List.of(root.resolve("scripts/dpdk").toString()));
        Path nr = Path.of("/proc/sys/vm/nr_hugepages");
        long total = Long.parseLong(Files.readString(nr).trim());
        long free = Long.parseLong(Files.readString(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages")).trim());
        if (free < hugepages) Files.writeString(nr, Long.toString(total + hugepages - free));
        LabNetwork lab = new LabNetwork(prefix, subnet, total);
        lab.remove();
        String v0 = lab.nearInterface(), v1 = prefix + "-v1", ns = lab.namespace();
        run(List.of("ip", "netns", "add", ns));
        run(List.of("ip", "link", "add", v0, "type", "veth", "peer", "name", v1, "netns", ns));
        run(List.of("sysctl", "-qw", "net.ipv6.conf." + v0 + ".disable_ipv6=1", "net.ipv4.conf." + v0 + ".forwarding=0",
                "net.ipv4.conf." + v0 + ".rp_filter=1"));
        run(List.of("ethtool", "-K", v0, "tx", "off", "tso", "off", "gso", "off", "gro", "off"));
        run(List.of("ip", "link", "set", v0, "up"));
        run(List.of("ip", "-n", ns, "addr", "add", lab.clientAddress() + "/24", "dev", v1));
        run(List.of("ip", "-n", ns, "link", "set", v1, "up"));
        run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
        run(List.of("ip", "netns", "exec", ns, "ethtool", "-K", v1, "tx", "off", "tso", "off", "gso", "off", "gro", "off"));
        return lab;
    }

    public String namespace() {
        return prefix + "-cli";
    }

    /** The interface DPDK drives. */
    public String nearInterface() {
        return prefix + "-v0";
    }

    public String clientAddress() {
        return "10.217." + subnet + ".1";
    }

    /** The address the bridge should answer on. */
    public String bridgeAddress() {
        return "10.217." + subnet + ".2";
    }

    /**
     * A plain veth pair from the client namespace ({@code 10.217.<subnet>.1}) to this namespace
     * ({@code <prefix>-k0}, {@code 10.217.<subnet>.2}, {@link #kernelAddress}): the kernel's TCP
     * on both ends, with the same offloads off as on the DPDK pair, so a client reaches a
     * kernel-socket listener over the same kind of link and frames.
     */
    public void addKernelPair(int subnet) throws IOException {
        if (subnet == this.subnet) throw new IllegalArgumentException("the kernel pair needs a subnet of its own, not " + subnet);
        String k0 = prefix + "-k0", k1 = prefix + "-k1", ns = namespace();
        quietly(List.of("ip", "link", "del", k0));
        run(List.of("ip", "link", "add", k0, "type", "veth", "peer", "name", k1, "netns", ns));
        kernelSubnet = subnet;
        run(List.of("ethtool", "-K", k0, "tx", "off", "tso", "off", "gso", "off", "gro", "off"));
        run(List.of("ip", "addr", "add", kernelAddress() + "/24", "dev", k0));
        run(List.of("ip", "link", "set", k0, "up"));
        run(List.of("ip", "-n", ns, "addr", "add", "10.217." + subnet + ".1/24", "dev", k1));
        run(List.of("ip", "-n", ns, "link", "set", k1, "up"));
        run(List.of("ip", "netns", "exec", ns, "ethtool", "-K", k1, "tx", "off", "tso", "off", "gso", "off", "gro", "off"));
    }

    /** This namespace's end of the kernel pair, where a kernel-socket listener answers the client. */
    public String kernelAddress() {
        if (kernelSubnet < 0) throw new IllegalStateException("no kernel pair: call addKernelPair first");
        return "10.217." + kernelSubnet + ".2";
    }

    /** EAL arguments for a bridge on this network (one core, no PCI, no files under /var/run). */
    public List<String> ealArgs() {
        return List.of("-l", "0", "--no-pci", "--in-memory", "--no-telemetry", "--log-level=warning",
                "--vdev", "net_af_packet0,iface=" + nearInterface() + ",framecnt=4096");
    }

    /** {@code command} run inside the client namespace. */
    public List<String> inClient(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace()));
        all.addAll(command);
        return all;
    }

    /**
     * The client namespace's TCP counters ({@code /proc/net/snmp} and {@code /proc/net/netstat}
     * as {@code nstat} names them: {@code TcpRetransSegs}, {@code TcpExtTCPTimeouts}, ...): what
     * the client's kernel saw of losses and timeouts.
     */
    public java.util.Map<String, Long> clientTcpCounters() throws IOException {
        java.util.Map<String, Long> counters = new java.util.TreeMap<>();
        for (String file : List.of("/proc/net/snmp", "/proc/net/netstat")) {
            Process p = new ProcessBuilder(inClient(List.of("cat", file))).redirectErrorStream(true).start();
            String[] lines = new String(p.getInputStream().readAllBytes()).split("\n");
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted reading " + file, e);
            }
            addCounters(List.of(lines), counters);
        }
        return counters;
    }

    /**
     * Adds the counters of one {@code /proc/net/snmp} or {@code /proc/net/netstat} text (pairs of
     * a names line and a values line) to {@code counters}, named as {@code nstat} names them.
     */
    public static void addCounters(List<String> lines, java.util.Map<String, Long> counters) {
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).trim().split("\\s+"), values = lines.get(i + 1).trim().split("\\s+");
            String group = names[0].replace(":", "");
            for (int k = 1; k < Math.min(names.length, values.length); k++) {
                try {
                    counters.put(group + names[k], Long.parseLong(values[k]));
                } catch (NumberFormatException notACounter) {
                    // a header line out of step: skip it
                }
            }
        }
    }

    private void remove() throws IOException {
        quietly(List.of("ip", "netns", "del", namespace()));
        quietly(List.of("ip", "link", "del", nearInterface()));
        quietly(List.of("ip", "link", "del", prefix + "-k0"));
    }

    @Override
    public void close() throws IOException {
        remove();
    }

    /** Gives back the hugepages {@link #open} reserved (those DPDK holds are freed when this process ends). */
    public void releaseHugepages() {
        try {
            Files.writeString(Path.of("/proc/sys/vm/nr_hugepages"), Long.toString(previousHugepages));
        } catch (IOException e) {
            // best effort: the pages stay reserved
        }
    }

    private static void quietly(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // nothing to remove
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
