package org.gridlink.kernel.cases.application;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The id of what a request sent with an {@code Idempotency-Key} makes (a report's record, a supervision notice, an
 * evidence file): a name-based UUID (version 3) of what it is, who sent it where, and the key, so the same request sent
 * again finds what the first made, two people's keys or one person's at two units never meet, and a random id
 * (version 4) never equals one.
 */
public final class KeyedIds {

    private KeyedIds() {
    }

    /** The id of a {@code what} made under {@code key}, named by {@code parts} (unit, person, …), in that order. */
    public static UUID of(String what, String key, Object... parts) {
        String name = "gridlink " + what + "\n" + Arrays.stream(parts).map(String::valueOf)
                .collect(Collectors.joining("\n")) + "\n" + key;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
