package org.gridlink.kernel.support.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.gridlink.contracts.UnitCode;
import org.gridlink.kernel.access.Person;
import org.gridlink.kernel.access.Role;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

/**
 * Reads the person from a verified access token. The claims gridlink's identity provider issues (and a city's
 * own provider must issue to plug in): {@code sub}, {@code name}, {@code unit} (a 12-digit unit code),
 * {@code roles}, and optionally {@code grids}, {@code assignments}, {@code contracts}. A token without a usable
 * unit or role is refused as an invalid token (401).
 */
public final class PersonClaims implements Converter<Jwt, Mono<PersonAuthentication>> {

    public static final String UNIT = "unit";
    public static final String ROLES = "roles";
    public static final String GRIDS = "grids";
    public static final String ASSIGNMENTS = "assignments";
    public static final String CONTRACTS = "contracts";

    @Override
    public Mono<PersonAuthentication> convert(Jwt jwt) {
        return Mono.fromCallable(() -> new PersonAuthentication(person(jwt), jwt));
    }

    public static Person person(Jwt jwt) {
        String username = jwt.getSubject();
        if (username == null || username.isBlank()) {
            throw new BadJwtException("the token names no subject");
        }
        String unit = jwt.getClaimAsString(UNIT);
        if (unit == null || !UnitCode.isValid(unit)) {
            throw new BadJwtException("the token's unit claim is missing or not a 12-digit unit code");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        strings(jwt, ROLES).forEach(r -> Role.parse(r).ifPresent(roles::add));
        if (roles.isEmpty()) {
            throw new BadJwtException("the token carries no gridlink role");
        }
        return new Person(username, jwt.getClaimAsString("name"), UnitCode.of(unit), roles, Set.copyOf(strings(jwt, GRIDS)),
                units(jwt, ASSIGNMENTS), units(jwt, CONTRACTS));
    }

    private static List<String> strings(Jwt jwt, String claim) {
        Object value = jwt.getClaims().get(claim);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof Collection<?> values)) {
            throw new BadJwtException("the token's " + claim + " claim is not a list");
        }
        return values.stream().map(String::valueOf).toList();
    }

    private static Set<UnitCode> units(Jwt jwt, String claim) {
        List<String> values = strings(jwt, claim);
        if (!values.stream().allMatch(UnitCode::isValid)) {
            throw new BadJwtException("the token's " + claim + " claim holds something that is not a unit code");
        }
        return values.stream().map(UnitCode::of).collect(Collectors.toUnmodifiableSet());
    }
}
