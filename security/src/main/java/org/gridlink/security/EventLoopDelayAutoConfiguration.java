package org.gridlink.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * {@link EventLoopDelay} of the HTTP event loops (Reactor Netty's, which the gateway's server and client and a node's
 * server run on) in the gateway and every node (each carries this jar), under {@code loops="http"}; probed every
 * {@code gridlink.metrics.event-loop-interval} (100 ms). A node adds its database connections' loops.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ReactorResourceFactory.class, LoopResources.class, EventLoopGroup.class, MeterRegistry.class})
public class EventLoopDelayAutoConfiguration {

    @Bean
    EventLoopDelay httpEventLoopDelay(ObjectProvider<ReactorResourceFactory> http, ObjectProvider<MeterRegistry> meters,
                                      @Value(EventLoopDelay.INTERVAL) Duration interval) {
        return new EventLoopDelay(Map.of("http", () -> http.getObject().getLoopResources()
                .onServer(LoopResources.DEFAULT_NATIVE)), interval, meters::getObject);
    }
}
