package io.perkamo.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks a port before a component binds it, so "in use" names the port and its purpose. */
public final class Ports {
    private Ports() {
    }

    public static void requireFree(int port, String purpose) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("0.0.0.0", port));
        } catch (IOException e) {
            throw new PortInUseException(port, purpose);
        }
    }

    public static final class PortInUseException extends IllegalStateException {
        private final int port;

        PortInUseException(int port, String purpose) {
            super("port " + port + " (" + purpose + ") is already in use: stop whatever listens on it"
                    + " or choose another port");
            this.port = port;
        }

        public int port() {
            return port;
        }
    }
}
