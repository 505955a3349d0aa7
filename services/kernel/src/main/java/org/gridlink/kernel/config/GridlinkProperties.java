package org.gridlink.kernel.config;

import java.time.Duration;
import org.gridlink.contracts.Tier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A node's settings ({@code gridlink.*}).
 *
 * @param tier           the tier this node serves
 * @param seeds          where the seed files are ({@code classpath:seeds/zhengzhou} or a {@code file:} folder)
 * @param topics         inbox topic settings
 * @param outbox         relay settings
 * @param api            HTTP API limits
 */
@ConfigurationProperties("gridlink")
public record GridlinkProperties(Tier tier,
                                 @DefaultValue("classpath:seeds/zhengzhou") String seeds,
                                 @DefaultValue Topics topics,
                                 @DefaultValue Outbox outbox,
                                 @DefaultValue Api api) {

    /**
     * Partition count and replication of the inbox topics this node creates at start-up, and how many consumer
     * threads apply the inbox (one per partition by default: events of one unit stay in order on their partition,
     * while several units' events are applied side by side).
     */
    public record Topics(@DefaultValue("3") int partitions, @DefaultValue("1") short replicas,
                         @DefaultValue("3") int listenerConcurrency, @DefaultValue("3") int retries,
                         @DefaultValue("200ms") Duration retryBackoff) {
    }

    /**
     * How often the relay polls when no notification wakes it, how many rows it publishes per transaction, and how long
     * a row marked published by an earlier release (which kept them; this one deletes what it publishes) stays.
     */
    public record Outbox(@DefaultValue("1s") Duration pollInterval, @DefaultValue("200") int batchSize,
                         @DefaultValue("1d") Duration keepPublished) {
    }

    public record Api(@DefaultValue("262144") long maxRequestBytes) {
    }
}
