package org.gridlink.bench;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The supervisors' access tokens, by unit, each renewed before it expires. The identity service's tokens live 30
 * minutes, and a full run on a slow day takes longer: on 2026-12-03 every request of the reads at a million records
 * was refused (401, "Jwt expired") because the tokens got at the run's start had expired. A token is logged in for
 * again in the background once between three and four fifths of its life (from its {@code iat} to its {@code exp})
 * have passed, while requests go on with the old one; each unit's token at its own point in that span, so that the
 * tokens got together at the start are not renewed together (a login checks a password: tens of milliseconds of the
 * machine's CPU, which a measurement would count). A token that has (nearly) expired without a new one is logged in
 * for at once.
 */
final class AccessTokens {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A token this close to its expiry is not sent: it might expire on its way. */
    static final long SAFETY_MILLIS = 30_000;

    /** A token, when to renew it and when it expires (epoch ms; {@code Long.MAX_VALUE} for a token without). */
    private record Token(String value, long renewAt, long expiresAt, AtomicBoolean renewing) {

        static Token of(String unit, String value) {
            long[] life = life(value);
            long renewAt = life == null ? Long.MAX_VALUE
                    : life[0] + (long) ((life[1] - life[0]) * (0.6 + 0.2 * spread(unit)));
            return new Token(value, renewAt, life == null ? Long.MAX_VALUE : life[1], new AtomicBoolean());
        }
    }

    private final Function<String, String> login;
    private final LongSupplier millis;
    private final Executor background;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    /**
     * @param login      logs the unit's supervisor in and answers the access token
     * @param millis     the time now, epoch ms
     * @param background where a renewal runs
     */
    AccessTokens(Function<String, String> login, LongSupplier millis, Executor background) {
        this.login = login;
        this.millis = millis;
        this.background = background;
    }

    /** The unit's supervisor's token: logged in for the first time, or again when it has (nearly) expired. */
    String token(String unit) {
        long now = millis.getAsLong();
        Token t = tokens.get(unit);
        if (t == null || now >= t.expiresAt() - SAFETY_MILLIS) {
            t = tokens.compute(unit, (u, old) -> old != null && millis.getAsLong() < old.expiresAt() - SAFETY_MILLIS
                    ? old : Token.of(u, login.apply(u)));
        } else if (now >= t.renewAt() && t.renewing().compareAndSet(false, true)) {
            Token old = t;
            background.execute(() -> {
                try {
                    tokens.replace(unit, old, Token.of(unit, login.apply(unit)));
                } catch (RuntimeException e) {
                    old.renewing().set(false); // the next request tries again
                    BenchPlatform.say("could not renew the access token of " + unit + "'s supervisor: " + e);
                }
            });
        }
        return t.value();
    }

    /** Where in the renewal's span the unit's token is renewed, from 0 (three fifths of its life) to 1 (four fifths). */
    static double spread(String unit) {
        return Math.floorMod(unit.hashCode() * 0x9E3779B9, 1000) / 1000.0;
    }

    /**
     * A JWT's {@code iat} and {@code exp} in epoch ms, from its payload (not verified: the benchmark only times its
     * renewal); null when it is no JWT or lacks {@code exp}. Without {@code iat} its life is taken to be 30 minutes.
     */
    static long[] life(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            if (!claims.path("exp").canConvertToLong()) {
                return null;
            }
            long exp = claims.path("exp").asLong() * 1000;
            long iat = claims.path("iat").canConvertToLong() ? claims.path("iat").asLong() * 1000 : exp - 30 * 60_000;
            return new long[] {iat, exp};
        } catch (RuntimeException e) {
            return null;
        }
    }
}
