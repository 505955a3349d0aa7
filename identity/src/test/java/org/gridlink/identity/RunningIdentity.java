package org.gridlink.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.context.ConfigurableApplicationContext;

/** The identity app on a free port of this machine, with real HTTP, as the launcher runs it. */
final class RunningIdentity implements AutoCloseable {

    static final URI CONSOLE_REDIRECT = URI.create("http://127.0.0.1:8080/");

    private final ConfigurableApplicationContext context;
    private final URI issuer;

    private RunningIdentity(ConfigurableApplicationContext context, URI issuer) {
        this.context = context;
        this.issuer = issuer;
    }

    static RunningIdentity start(Path keyFile) {
        int port = freePort();
        String issuer = "http://localhost:" + port;
        ConfigurableApplicationContext context = IdentityApplication.builder().run(
                "--server.port=" + port,
                "--gridlink.identity.issuer=" + issuer,
                "--gridlink.identity.key-file=" + keyFile,
                "--spring.main.banner-mode=off");
        return new RunningIdentity(context, URI.create(issuer));
    }

    URI issuer() {
        return issuer;
    }

    URI uri(String path) {
        return issuer.resolve(path);
    }

    @Override
    public void close() {
        context.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
