package dev.chunkmesh.cli;

import com.github.dockerjava.api.model.ContainerNetwork;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.IsRunningStartupCheckStrategy;

/**
 * One node in its own container on a test network with a fixed address, reached by the test over
 * that network (no published ports: the engine runs without iptables).
 */
final class NodeContainer extends NodeApi implements AutoCloseable {

    private final GenericContainer<?> container;
    private final Network network;
    private final String address;

    private NodeContainer(String name, String address, Map<String, String> settings, GenericContainer<?> container, Network network) {
        super(name, URI.create("http://" + address + ":" + settings.get("network.admin-port")),
                URI.create("http://" + address + ":" + settings.get("network.registry-port")));
        this.container = container;
        this.network = network;
        this.address = address;
    }

    /** Starts {@code mesh node run} with {@code settings} in a container of {@code image} at {@code address}. */
    static NodeContainer start(String image, Network network, String name, String address, Map<String, String> settings) {
        List<String> cmd = new ArrayList<>(List.of("node", "run"));
        new TreeMap<>(settings).forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        GenericContainer<?> c = new GenericContainer<>(image)
                .withNetwork(network)
                .withCreateContainerCmdModifier(x -> x.withName("chunk-mesh-" + name + "-" + System.nanoTime()).withIpv4Address(address))
                .withCommand(cmd.toArray(String[]::new))
                .withStartupCheckStrategy(new IsRunningStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)));
        c.start();
        return new NodeContainer(name, address, settings, c, network);
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
