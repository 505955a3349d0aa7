package org.gridlink.kernel.support.security;

import java.util.Collection;
import org.gridlink.kernel.access.Person;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** A request authenticated by a bearer token: the person it names, and the token itself for the logs. */
public final class PersonAuthentication extends AbstractAuthenticationToken {

    private final Person person;
    private final Jwt token;

    public PersonAuthentication(Person person, Jwt token) {
        super(authorities(person));
        this.person = person;
        this.token = token;
        setAuthenticated(true);
    }

    private static Collection<SimpleGrantedAuthority> authorities(Person person) {
        return person.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList();
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Person getPrincipal() {
        return person;
    }

    @Override
    public String getName() {
        return person.username();
    }
}
