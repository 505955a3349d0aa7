package org.gridlink.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RetentionTest {

    @Test
    void theBookkeepingIsKeptThirtyDaysAndLookedAtHourlyUnlessToldOtherwise() {
        GridlinkProperties.Retention retention = bind(Map.of()).retention();

        assertThat(retention.inbox()).isEqualTo(Duration.ofDays(30));
        assertThat(retention.keyedActions()).isEqualTo(Duration.ofDays(30));
        assertThat(retention.every()).isEqualTo(Duration.ofHours(1));
        assertThat(bind(Map.of("gridlink.retention.inbox", "14d", "gridlink.retention.keyed-actions", "2d",
                "gridlink.retention.every", "10m")).retention())
                .isEqualTo(new GridlinkProperties.Retention(Duration.ofDays(14), Duration.ofDays(2), Duration.ofMinutes(10)));
    }

    @Test
    void aRetentionTooShortToRecogniseARepeatIsRefusedAtStartSayingWhy() {
        assertThatThrownBy(() -> bind(Map.of("gridlink.retention.inbox", "12h")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("gridlink.retention.inbox is PT12H")
                .hasMessageContaining("longer than Kafka keeps the inbox topics");
        assertThatThrownBy(() -> bind(Map.of("gridlink.retention.keyed-actions", "10m")))
                .rootCause().hasMessageContaining("gridlink.retention.keyed-actions is PT10M");
        assertThatThrownBy(() -> bind(Map.of("gridlink.retention.every", "0s")))
                .rootCause().hasMessageContaining("gridlink.retention.every is PT0S: it must be positive");
    }

    private static GridlinkProperties bind(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("gridlink.tier", "community");
        return new Binder(new MapConfigurationPropertySource(all)).bind("gridlink", GridlinkProperties.class).get();
    }
}
