package org.gridlink.identity.people;

import java.util.EnumMap;
import java.util.Map;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The seeded people as Spring Security users, each with the demo password of his or her first role. */
public final class SeededUsers implements UserDetailsService {

    private final People people;
    private final Map<Role, String> encoded = new EnumMap<>(Role.class);

    public SeededUsers(People people, PasswordEncoder encoder) {
        this.people = people;
        // one hash per role, not per person: encoding is slow by design and there are only seven passwords
        for (Role role : Role.values()) {
            encoded.put(role, encoder.encode(DemoPasswords.of(role)));
        }
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        Person p = people.find(username).orElseThrow(() -> new UsernameNotFoundException("no such person"));
        return User.withUsername(p.username())
                .password(encoded.get(p.roles().get(0)))
                .roles(p.roleNames().toArray(String[]::new))
                .build();
    }
}
