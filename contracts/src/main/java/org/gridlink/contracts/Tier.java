package org.gridlink.contracts;

import java.util.Locale;
import java.util.Optional;

/** The four administrative tiers, top to bottom; each runs its own node and its own inbox topic. */
public enum Tier {
    CITY, DISTRICT, TOWNSHIP, COMMUNITY;

    /** The tier's name as used in topics, configuration and URLs: {@code community}, {@code city}... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Kafka topic that carries events addressed to units of this tier. */
    public String inboxTopic() {
        return "gridlink." + id() + ".inbox";
    }

    /** The dead-letter topic of this tier's inbox. */
    public String deadLetterTopic() {
        return inboxTopic() + ".dlt";
    }

    public Optional<Tier> parent() {
        return this == CITY ? Optional.empty() : Optional.of(values()[ordinal() - 1]);
    }

    public Optional<Tier> child() {
        return this == COMMUNITY ? Optional.empty() : Optional.of(values()[ordinal() + 1]);
    }

    public static Tier fromId(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
