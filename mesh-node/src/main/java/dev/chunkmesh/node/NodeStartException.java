package dev.chunkmesh.node;

import dev.chunkmesh.node.config.ConfigKeys;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/**
 * A node that cannot start, with a message that names what to fix: the setting, its variable, the
 * address and the cause (for example a port another process holds).
 */
public final class NodeStartException extends RuntimeException {

    NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Fails with a message naming {@code setting} unless {@code host:port} can be listened on now (port 0 always can). */
    static void requireFree(String setting, String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw cannotListen(setting, host, port, e);
        }
    }

    /** The cause of a failed listen, turned into a message naming {@code setting} if it is a bind failure. */
    static RuntimeException listenFailed(String setting, String host, int port, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof BindException || cause instanceof SocketException) {
            return cannotListen(setting, host, port, cause);
        }
        return new NodeStartException("could not start the listener of " + setting + " on " + host + ":" + port + ": " + cause, cause);
    }

    private static NodeStartException cannotListen(String setting, String host, int port, Throwable cause) {
        String variable = ConfigKeys.ALL.containsKey(setting) ? ConfigKeys.ALL.get(setting).environmentVariable() : setting;
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String hint = why.toLowerCase(Locale.ROOT).contains("in use")
                ? "another process holds this port (see 'ss -ltnp sport = :" + port + "'); stop it or choose another port"
                : "the address may not belong to this host; check " + switch (setting) {
                    case "network.admin-port" -> "network.admin-bind";
                    case "network.registry-port" -> "network.registry-bind";
                    default -> "network.bind";
                };
        return new NodeStartException("cannot listen on " + host + ":" + port + " for " + setting + " (" + why + "): " + hint
                + " with the setting " + setting + " or " + variable, cause);
    }
}
