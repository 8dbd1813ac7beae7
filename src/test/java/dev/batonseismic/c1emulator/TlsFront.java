package dev.batonseismic.c1emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The emulator's one TLS port. ALPN picks the backend: a client offering {@code http/1.1} (the token client) is
 * proxied to the plaintext token endpoint, one offering only {@code h2} (gRPC) to the plaintext gRPC server; a
 * client without ALPN is taken for HTTP/1.1 and one offering neither is refused. Bytes are pumped both ways
 * after the handshake, and both sockets close when either side ends.
 */
final class TlsFront implements AutoCloseable {
    static final String HTTP_1_1 = "http/1.1";
    static final String H2 = "h2";
    private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

    private final SSLServerSocket server;
    private volatile int http1Port;
    private volatile int h2Port;
    private final C1Records records;
    private final ExecutorService threads = Executors.newCachedThreadPool(new DaemonThreadFactory("c1-emulator-front"));
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Binds the listener on 127.0.0.1 and a free port; it accepts once {@link #start} names the backends. */
    TlsFront(SSLContext context, C1Records records) throws IOException {
        this.records = records;
        this.server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 128, InetAddress.getByName("127.0.0.1"));
        server.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    }

    void start(int http1Port, int h2Port) {
        this.http1Port = http1Port;
        this.h2Port = h2Port;
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The protocol ALPN should pick from the client's offer; null refuses the connection (no_application_protocol). */
    static String choose(List<String> offered) {
        if (offered.contains(HTTP_1_1)) {
            return HTTP_1_1;
        }
        if (offered.contains(H2)) {
            return H2;
        }
        return null;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SSLSocket client = (SSLSocket) server.accept();
                client.setHandshakeApplicationProtocolSelector((socket, offered) -> choose(offered));
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (closed || server.isClosed()) {
                    return;
                }
                records.tlsConnection(new C1Records.TlsConnection(Instant.now(), null, null, "accept: " + e));
            }
        }
    }

    private void serve(SSLSocket client) {
        open.add(client);
        Socket backend = null;
        try {
            client.setTcpNoDelay(true);
            client.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            client.startHandshake();
            client.setSoTimeout(0);
            String protocol = client.getApplicationProtocol();
            String chosen = protocol == null || protocol.isEmpty() ? HTTP_1_1 : protocol;
            records.tlsConnection(new C1Records.TlsConnection(Instant.now(), chosen, client.getSession().getProtocol(), null));
            backend = new Socket();
            open.add(backend);
            backend.setTcpNoDelay(true);
            backend.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), H2.equals(chosen) ? h2Port : http1Port));
            Socket b = backend;
            threads.execute(() -> pump(b, client));
            pump(client, backend);
        } catch (IOException e) {
            String stage = backend == null ? "handshake: " : "backend: ";
            records.tlsConnection(new C1Records.TlsConnection(Instant.now(), null, null, stage + e.getMessage()));
            closeBoth(client, backend);
        } catch (RuntimeException e) {
            closeBoth(client, backend);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other pump closed the sockets, a peer reset or a broken TLS record: the connection is over
        } finally {
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket s : new Socket[] {a, b}) {
            if (s != null) {
                open.remove(s);
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        threads.shutdownNow();
    }
}
