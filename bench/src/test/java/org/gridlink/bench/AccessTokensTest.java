package org.gridlink.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

    private static final long MINUTE = 60_000;

    /** A JWT-shaped token issued at {@code iat} ms, living 30 minutes (its signature is not read). */
    private static String jwt(String name, long iat) {
        String payload = "{\"sub\":\"" + name + "\",\"iat\":" + iat / 1000 + ",\"exp\":" + (iat + 30 * MINUTE) / 1000 + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final AtomicInteger logins = new AtomicInteger();
    private final List<Runnable> background = new ArrayList<>();
    private final AccessTokens tokens = new AccessTokens(u -> jwt(u + "#" + logins.incrementAndGet(), now.get()),
            now::get, background::add);

    @Test
    void aTokenIsKeptForThreeFifthsOfItsLifeAtLeastThenRenewedInTheBackgroundWhileTheOldOneIsStillSent() {
        String first = tokens.token("410105001001");
        now.addAndGet(17 * MINUTE); // three fifths are 18 minutes
        assertThat(tokens.token("410105001001")).isEqualTo(first);
        assertThat(background).isEmpty();

        now.addAndGet(7 * MINUTE); // 24 of its 30 minutes: four fifths, when the last token is renewed
        assertThat(tokens.token("410105001001")).isEqualTo(first);
        assertThat(tokens.token("410105001001")).isEqualTo(first);
        assertThat(background).as("one renewal, however many requests ask meanwhile").hasSize(1);

        background.remove(0).run();
        String renewed = tokens.token("410105001001");
        assertThat(renewed).isNotEqualTo(first).contains(".");
        assertThat(AccessTokens.life(renewed)).containsExactly(now.get() / 1000 * 1000, (now.get() + 30 * MINUTE) / 1000 * 1000);
        assertThat(logins).hasValue(2);
    }

    @Test
    void eachUnitsTokenIsRenewedAtItsOwnPointOfTheSpan() {
        Set<Double> points = new HashSet<>();
        for (String unit : List.of("410105001001", "410105001002", "410105001003", "410105001000", "410105000000",
                "410100000000")) {
            double spread = AccessTokens.spread(unit);
            assertThat(spread).isBetween(0.0, 1.0);
            points.add(spread);
        }
        assertThat(points).hasSizeGreaterThan(3);
    }

    @Test
    void aTokenThatNearlyExpiredWithoutARenewalIsLoggedInForAtOnce() {
        String first = tokens.token("410105001002");
        now.addAndGet(30 * MINUTE - AccessTokens.SAFETY_MILLIS); // the renewal never ran

        String next = tokens.token("410105001002");

        assertThat(next).isNotEqualTo(first);
        assertThat(logins).hasValue(2);
        assertThat(tokens.token("410105001002")).isEqualTo(next);
        assertThat(tokens.token("410105001003")).isNotEqualTo(next); // each unit its own
    }

    @Test
    void aRenewalThatFailsIsTriedAgainByTheNextRequest() {
        AtomicInteger calls = new AtomicInteger();
        AccessTokens failing = new AccessTokens(u -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("identity service down");
            }
            return jwt(u, now.get());
        }, now::get, background::add);
        String first = failing.token("410105001001");
        now.addAndGet(25 * MINUTE);

        assertThat(failing.token("410105001001")).isEqualTo(first);
        background.remove(0).run(); // fails
        assertThat(failing.token("410105001001")).isEqualTo(first);
        assertThat(background).hasSize(1);
        background.remove(0).run();

        assertThat(failing.token("410105001001")).isNotEqualTo(first);
    }

    @Test
    void aTokenThatIsNoJwtIsKeptAsItIs() {
        assertThat(AccessTokens.life("opaque")).isNull();
        assertThat(AccessTokens.life("a.bm90IGpzb24.c")).isNull();
        AccessTokens opaque = new AccessTokens(u -> "opaque-" + logins.incrementAndGet(), now::get, background::add);
        String first = opaque.token("410105001001");
        now.addAndGet(24 * 60 * MINUTE);
        assertThat(opaque.token("410105001001")).isEqualTo(first);
        assertThat(background).isEmpty();
    }
}
