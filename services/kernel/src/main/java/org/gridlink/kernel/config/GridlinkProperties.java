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
 * @param retention      how long the bookkeeping that recognises a repeat is kept
 */
@ConfigurationProperties("gridlink")
public record GridlinkProperties(Tier tier,
                                 @DefaultValue("classpath:seeds/zhengzhou") String seeds,
                                 @DefaultValue Topics topics,
                                 @DefaultValue Outbox outbox,
                                 @DefaultValue Api api,
                                 @DefaultValue Retention retention) {

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

    /**
     * The API's limits and where people and apps reach it.
     *
     * @param maxRequestBytes the largest request body taken
     * @param publicUrl       the platform's address as people and apps reach it (the gateway's, e.g.
     *                        {@code https://gridlink.example.org}), where an address the node gives out points (an
     *                        Open311 discovery document's endpoint); unset, the address the node itself was reached at
     */
    public record Api(@DefaultValue("262144") long maxRequestBytes, java.net.URI publicUrl) {
    }

    /**
     * How long the node keeps what only serves to recognise a repeat ({@code Housekeeping}): a consumed event's id in
     * the inbox, and an action taken under an {@code Idempotency-Key}; and how often it deletes what is older. The
     * inbox's must be longer than Kafka keeps the inbox topics' records (7 days on the local broker and by Kafka's
     * default): a copy delivered after its id was deleted would be applied again. An action's key sent again after
     * its row was deleted is taken as a new action (which the record's status or version then usually refuses).
     */
    public record Retention(@DefaultValue("30d") Duration inbox, @DefaultValue("30d") Duration keyedActions,
                            @DefaultValue("1h") Duration every) {
        public Retention {
            if (inbox.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("gridlink.retention.inbox is " + inbox + ": it must be at least 1 day"
                        + " and longer than Kafka keeps the inbox topics, or a late copy of an event is applied again");
            }
            if (keyedActions.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("gridlink.retention.keyed-actions is " + keyedActions + ": it must be"
                        + " at least 1 hour, or a client's retry of an action it sent is taken as a new action");
            }
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("gridlink.retention.every is " + every + ": it must be positive");
            }
        }
    }
}
