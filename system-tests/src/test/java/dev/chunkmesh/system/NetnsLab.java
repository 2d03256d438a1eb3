package dev.chunkmesh.system;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A small routed network made of network namespaces this test creates, for faults that cross a
 * network: {@code sites} namespaces (site {@code i} has hosts {@code 198.18.(i+1).h/24}), joined by
 * a router namespace, which also reaches the test's own host at {@link #hostAddress()} over one veth.
 * Nothing is routed anywhere else (198.18.0.0/15 is the benchmarking range, never a real network).
 * Needs root; tests using it are skipped with a message elsewhere.
 */
final class NetnsLab implements AutoCloseable {

    private final String id = UUID.randomUUID().toString().substring(0, 6);
    private final String router = "cm" + id + "r";
    private final String hostLink = "cm" + id + "h";
    private final List<String> sites = new ArrayList<>();
    private final List<String> cuts = new ArrayList<>();

    private NetnsLab() {}

    /** Creates {@code siteCount} sites with {@code hostsPerSite} addresses each. */
    static NetnsLab create(int siteCount, int hostsPerSite) throws IOException, InterruptedException {
        NetnsLab lab = new NetnsLab();
        try {
            assumeTrue(run("ip", "netns", "add", lab.router) == 0,
                    "cannot create network namespaces here (needs root and iproute2): skipping the network-split test");
            lab.build(siteCount, hostsPerSite);
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void build(int siteCount, int hostsPerSite) throws IOException, InterruptedException {
        must("ip", "netns", "exec", router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        must("ip", "netns", "exec", router, "ip", "link", "set", "lo", "up");
        must("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "host", "netns", router);
        must("ip", "netns", "exec", router, "ip", "addr", "add", "198.18.100.2/24", "dev", "host");
        must("ip", "netns", "exec", router, "ip", "link", "set", "host", "up");
        must("ip", "addr", "add", hostAddress() + "/24", "dev", hostLink);
        must("ip", "link", "set", hostLink, "up");
        must("ip", "route", "add", "198.18.0.0/16", "via", "198.18.100.2", "dev", hostLink);
        for (int i = 0; i < siteCount; i++) {
            String ns = "cm" + id + "s" + i;
            sites.add(ns);
            must("ip", "netns", "add", ns);
            must("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "site" + i, "netns", router);
            must("ip", "netns", "exec", router, "ip", "addr", "add", subnet(i) + ".254/24", "dev", "site" + i);
            must("ip", "netns", "exec", router, "ip", "link", "set", "site" + i, "up");
            for (int h = 1; h <= hostsPerSite; h++) {
                must("ip", "netns", "exec", ns, "ip", "addr", "add", address(i, h) + "/24", "dev", "eth0");
            }
            must("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            must("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            must("ip", "netns", "exec", ns, "ip", "route", "add", "198.18.0.0/16", "via", subnet(i) + ".254");
        }
    }

    private static String subnet(int site) {
        return "198.18." + (site + 1);
    }

    /** Host {@code host} (from 1) of site {@code site} (from 0). */
    static String address(int site, int host) {
        return subnet(site) + "." + host;
    }

    /** The test host's own address on the lab network, where it can serve an origin to the sites. */
    String hostAddress() {
        return "198.18.100.1";
    }

    /** What runs a command inside site {@code site}. */
    List<String> prefix(int site) {
        return List.of("ip", "netns", "exec", sites.get(site), "env", "-u", "http_proxy", "-u", "https_proxy");
    }

    /** Cuts every packet between two sites (both ways); each still reaches the host and others. */
    void cut(int siteA, int siteB) throws IOException, InterruptedException {
        for (String[] dir : List.of(new String[] {subnet(siteA), subnet(siteB)}, new String[] {subnet(siteB), subnet(siteA)})) {
            String rule = "from " + dir[0] + ".0/24 to " + dir[1] + ".0/24 blackhole";
            must(("ip netns exec " + router + " ip rule add " + rule).split(" "));
            cuts.add(rule);
        }
    }

    /** Undoes every {@link #cut}. */
    void heal() throws IOException, InterruptedException {
        for (String rule : cuts) {
            must(("ip netns exec " + router + " ip rule del " + rule).split(" "));
        }
        cuts.clear();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("ip", "link", "del", hostLink);
        for (String ns : sites) {
            run("ip", "netns", "del", ns);
        }
        run("ip", "netns", "del", router);
    }

    private static void must(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("failed: " + String.join(" ", cmd) + ": " + out.strip());
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
