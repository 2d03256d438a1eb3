package dev.chunkmesh.system;

import com.github.dockerjava.api.model.ContainerNetwork;
import dev.chunkmesh.node.config.NodeSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.IsRunningStartupCheckStrategy;
import org.testcontainers.images.builder.Transferable;

/**
 * One node in its own container on a test network with a fixed address, reached by the test over
 * that network (no published ports: the engine runs without iptables).
 */
final class NodeContainer extends NodeApi implements AutoCloseable {

    private final GenericContainer<?> container;
    private final Network network;
    private final String address;

    private static final String TOKEN_FILE = "/admin-token";

    private NodeContainer(String name, String address, Map<String, String> settings, Optional<String> token, GenericContainer<?> container,
                          Network network) {
        super(name, URI.create("http://" + address + ":" + settings.get("network.admin-port")),
                URI.create("http://" + address + ":" + settings.get("network.registry-port")), token);
        this.container = container;
        this.network = network;
        this.address = address;
    }

    /**
     * Starts {@code mesh node run} with {@code settings} in a container of {@code image} at {@code address};
     * the file of {@code admin.token-file}, if set, is copied into the container.
     */
    static NodeContainer start(String image, Network network, String name, String address, NodeSettings node)
            throws IOException {
        Map<String, String> settings = node.flags();
        Optional<String> token = token(settings);
        Map<String, String> inside = new TreeMap<>(settings);
        token.ifPresent(t -> inside.put("admin.token-file", TOKEN_FILE));
        List<String> cmd = new ArrayList<>(List.of("node", "run"));
        inside.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        GenericContainer<?> c = new GenericContainer<>(image)
                .withNetwork(network)
                .withCreateContainerCmdModifier(x -> x.withName("chunk-mesh-" + name + "-" + System.nanoTime()).withIpv4Address(address))
                .withCommand(cmd.toArray(String[]::new))
                .withStartupCheckStrategy(new IsRunningStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)));
        token.ifPresent(t -> c.withCopyToContainer(Transferable.of(t + "\n"), TOKEN_FILE));
        c.start();
        return new NodeContainer(name, address, settings, token, c, network);
    }

    /** Takes the container off the network, as a pulled cable would; it keeps running. */
    void disconnect() {
        DockerClientFactory.instance().client().disconnectFromNetworkCmd().withNetworkId(network.getId())
                .withContainerId(container.getContainerId()).withForce(true).exec();
    }

    /** Puts the container back on the network at its address. */
    void reconnect() {
        DockerClientFactory.instance().client().connectToNetworkCmd().withNetworkId(network.getId())
                .withContainerId(container.getContainerId())
                .withContainerNetwork(new ContainerNetwork().withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(address))).exec();
    }

    /** {@code docker stop}: SIGTERM, then the node leaves its POP cleanly. */
    void stop() {
        container.stop();
    }

    @Override
    boolean alive() {
        return container.isRunning();
    }

    @Override
    String tail() {
        String logs = container.isCreated() ? container.getLogs() : "";
        String[] lines = logs.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }

    @Override
    public void close() {
        container.stop();
    }
}
