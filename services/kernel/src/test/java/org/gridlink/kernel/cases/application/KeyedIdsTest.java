package org.gridlink.kernel.cases.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ids made under an Idempotency-Key: those kept by earlier builds are still what a request sent again finds. */
class KeyedIdsTest {

    static final UUID CASE = UUID.fromString("3f1c2e4a-0000-4000-8000-000000000001");

    @Test
    void anIdIsTheNameBasedUuidOfWhatItIsWhoSentItWhereAndTheKey() {
        assertThat(KeyedIds.of("report", "k-1", "410105001001", "alice"))
                .isEqualTo(named("gridlink report\n410105001001\nalice\nk-1"));
        assertThat(KeyedIds.of("evidence", "k-1", "410105001001", CASE, "alice"))
                .isEqualTo(named("gridlink evidence\n410105001001\n" + CASE + "\nalice\nk-1"));
        assertThat(KeyedIds.of("report", "k-1", "410105001001", "alice").version()).isEqualTo(3);
    }

    @Test
    void anotherKindPersonOrUnitUnderTheSameKeyIsAnotherId() {
        UUID report = KeyedIds.of("report", "k-1", "410105001001", "alice");

        assertThat(KeyedIds.of("supervision", "k-1", "410105001001", "alice")).isNotEqualTo(report);
        assertThat(KeyedIds.of("report", "k-1", "410105001001", "bob")).isNotEqualTo(report);
        assertThat(KeyedIds.of("report", "k-1", "410105001002", "alice")).isNotEqualTo(report);
    }

    private static UUID named(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
