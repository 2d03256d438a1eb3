package dev.chunkmesh.node;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class NodeStartExceptionTest {

    @Test
    void aPortInUseIsReportedWithItsSettingVariableAndAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            NodeStartException e = assertThrows(NodeStartException.class,
                    () -> NodeStartException.requireFree("network.admin-port", "127.0.0.1", taken.getLocalPort()));
            String m = e.getMessage();
            assertTrue(m.contains("127.0.0.1:" + taken.getLocalPort()) && m.contains("network.admin-port")
                    && m.contains("MESH_NETWORK_ADMIN_PORT") && m.toLowerCase().contains("in use"), m);
        }
    }

    @Test
    void anAddressThatIsNotThisHostsPointsAtNetworkBind() {
        NodeStartException e = assertThrows(NodeStartException.class,
                () -> NodeStartException.requireFree("network.peer-port", "198.18.0.77", 7070));
        assertTrue(e.getMessage().contains("network.bind"), e.getMessage());
    }

    @Test
    void portZeroIsAlwaysFree() {
        NodeStartException.requireFree("network.peer-port", "127.0.0.1", 0);
    }
}
