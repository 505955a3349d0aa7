package org.gridlink.kernel.support.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.r2dbc.spi.Parameter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

class NamedValuesTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bound(NamedValues values) {
        GenericExecuteSpec spec = mock(GenericExecuteSpec.class);
        when(spec.bindValues(any(Map.class))).thenReturn(spec);
        assertThat(values.bindTo(spec)).isSameAs(spec);
        ArgumentCaptor<Map<String, Object>> map = ArgumentCaptor.forClass(Map.class);
        verify(spec).bindValues(map.capture());
        return map.getValue();
    }

    @Test
    void bindsEveryValueInOneCallInTheOrderGiven() {
        Instant at = Instant.parse("2026-12-01T02:00:00.123456Z");
        Map<String, Object> map = bound(new NamedValues().put("unit", "410105001001").put("bounces", 2).at("at", at));
        assertThat(map).containsOnlyKeys("unit", "bounces", "at");
        assertThat(map.keySet()).containsExactly("unit", "bounces", "at");
        assertThat(map.get("unit")).isEqualTo("410105001001");
        assertThat(map.get("bounces")).isEqualTo(2);
        assertThat(map.get("at")).isEqualTo(OffsetDateTime.of(2026, 12, 1, 2, 0, 0, 123_456_000, ZoneOffset.UTC));
    }

    @Test
    void aMissingValueIsATypedNull() {
        Map<String, Object> map = bound(new NamedValues().nullable("note", null, String.class).at("due", null)
                .nullable("lat", 34.75, Double.class));
        assertThat(map.get("note")).isInstanceOfSatisfying(Parameter.class, p -> {
            assertThat(p.getValue()).isNull();
            assertThat(p.getType().getJavaType()).isEqualTo(String.class);
        });
        assertThat(map.get("due")).isInstanceOfSatisfying(Parameter.class,
                p -> assertThat(p.getType().getJavaType()).isEqualTo(OffsetDateTime.class));
        assertThat(map.get("lat")).isEqualTo(34.75);
    }

    @Test
    void aNullWhereAValueIsRequiredIsRefusedByName() {
        assertThatThrownBy(() -> new NamedValues().put("title", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":title");
    }
}
