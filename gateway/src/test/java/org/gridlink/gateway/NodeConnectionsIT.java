package org.gridlink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.gridlink.gateway.routing.LoopLocalNodeConnections;
import org.gridlink.kernel.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The gateway's connections to a node ({@link LoopLocalNodeConnections}), in front of a stub community node: each
 * request, whichever of the gateway's event loops serves it, is sent on to the node on a connection of that same loop.
 * Each request here comes on a connection of its own, so the server's loops take them in turn; with one pool for all
 * the loops, the second request already took the first one's connection, on the other loop.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "spring.config.name=gateway", "gridlink.security.rate-limit.per-user=100000",
                "gridlink.security.rate-limit.per-address=100000" })
class NodeConnectionsIT {

    static final String COMMUNITY = "410105002001";
    static final String PROBE = "X-Probe";

    static final StubNode community = StubNode.start("community");
    static final TestTokens tokens = TestTokens.start();

    /** The thread each request (by its probe) was served on, when the gateway sent it on to the node. */
    static final Map<String, Thread> SERVED_ON = new ConcurrentHashMap<>();
    /** The event loop of the connection each request was sent to the node on. */
    static final Map<String, EventLoop> SENT_ON = new ConcurrentHashMap<>();

    @DynamicPropertySource
    static void nodes(DynamicPropertyRegistry registry) {
        registry.add("gridlink.gateway.nodes.community", () -> community.uri().toString());
        registry.add("gridlink.gateway.nodes.township", () -> StubNode.closedPort().toString());
        registry.add("gridlink.gateway.nodes.district", () -> StubNode.closedPort().toString());
        registry.add("gridlink.gateway.nodes.city", () -> StubNode.closedPort().toString());
        registry.add("gridlink.security.issuer", () -> tokens.issuer().toString());
    }

    @TestConfiguration
    static class Probes {

        @Bean
        GlobalFilter servedOn() {
            return new ServedOn();
        }

        @Bean
        HttpClientCustomizer sentOn() {
            return client -> client.doOnRequest((request, connection) -> {
                String probe = request.requestHeaders().get(PROBE);
                if (probe != null) {
                    SENT_ON.put(probe, connection.channel().eventLoop());
                }
            });
        }
    }

    /** Notes the thread a probed request is on just before the routing filter sends it on. */
    static final class ServedOn implements GlobalFilter, Ordered {

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
            String probe = exchange.getRequest().getHeaders().getFirst(PROBE);
            if (probe != null) {
                SERVED_ON.put(probe, Thread.currentThread());
            }
            return chain.filter(exchange);
        }

        @Override
        public int getOrder() {
            return NettyRoutingFilter.ORDER - 1;
        }
    }

    @AfterAll
    static void stop() {
        community.close();
        tokens.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    HttpClient toNodes;

    @Autowired
    ReactorResourceFactory resources;

    @Test
    void eachRequestGoesToTheNodeOnAConnectionOfTheLoopThatServesIt() {
        String token = tokens.token("prober", COMMUNITY, List.of("HANDLER"), List.of());
        HttpClient clients = HttpClient.create(ConnectionProvider.newConnection()).baseUrl("http://127.0.0.1:" + port)
                .headers(h -> h.set("Authorization", "Bearer " + token));
        // the first check of a new token may end off the event loops (VerifiedTokenCache): not one of the probes
        assertThat(get(clients, null)).isEqualTo(200);
        int requests = 40;
        for (int i = 0; i < requests; i++) {
            String probe = "probe-" + i;
            assertThat(get(clients, probe)).as(probe).isEqualTo(200);
        }

        assertThat(SERVED_ON).hasSize(requests);
        assertThat(SENT_ON).hasSize(requests);
        List<EventExecutor> loops = new ArrayList<>();
        resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE).forEach(loops::add);
        // a request whose work went on on another thread (the first after the token's keys were fetched, at times)
        // takes the shared pool: nearly all are served on the server's loops, which took them in turn
        Map<String, Thread> onLoops = new TreeMap<>(SERVED_ON);
        onLoops.values().removeIf(thread -> loops.stream().noneMatch(loop -> loop.inEventLoop(thread)));
        assertThat(onLoops).hasSizeGreaterThanOrEqualTo(requests - 4);
        assertThat(new HashSet<>(onLoops.values())).hasSizeGreaterThan(1);
        onLoops.forEach((probe, thread) -> assertThat(SENT_ON.get(probe).inEventLoop(thread))
                .as("%s served on %s, sent on %s", probe, thread.getName(), SENT_ON.get(probe)).isTrue());
        assertThat(toNodes.configuration().connectionProvider()).isInstanceOf(LoopLocalNodeConnections.class);
    }

    static Integer get(HttpClient clients, String probe) {
        return clients.headers(h -> {
            if (probe != null) {
                h.set(PROBE, probe);
            }
        }).get().uri("/api/units/" + COMMUNITY + "/cases").response((response, body) -> body.then()
                .thenReturn(response.status().code())).single().block(Duration.ofSeconds(10));
    }
}
