package org.gridlink.identity.tokens;

import org.gridlink.identity.people.People;
import org.gridlink.identity.people.Person;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Puts who the person is into the access token and the ID token: {@code name}, {@code unit} (the 12-digit unit
 * code), {@code roles}, {@code grids}, {@code assignments} and {@code contracts} (arrays, empty when none).
 * The services decide what the bearer may see and do from these claims alone.
 */
public final class PersonClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    public static final String NAME = "name";
    public static final String UNIT = "unit";
    public static final String ROLES = "roles";
    public static final String GRIDS = "grids";
    public static final String ASSIGNMENTS = "assignments";
    public static final String CONTRACTS = "contracts";

    private final People people;

    public PersonClaims(People people) {
        this.people = people;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
        boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
        if (!accessToken && !idToken) {
            return;
        }
        people.find(context.getPrincipal().getName()).ifPresent(p -> addClaims(context.getClaims(), p));
    }

    private static void addClaims(JwtClaimsSet.Builder claims, Person p) {
        claims.subject(p.username())
                .claim(NAME, p.name())
                .claim(UNIT, p.unit())
                .claim(ROLES, p.roleNames())
                .claim(GRIDS, p.grids())
                .claim(ASSIGNMENTS, p.assignments())
                .claim(CONTRACTS, p.contracts());
    }
}
