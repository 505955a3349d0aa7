package org.gridlink.identity.people;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Everyone who can log in, by username (matched without regard to case). */
public final class People {

    private final Map<String, Person> byUsername = new LinkedHashMap<>();

    public People(List<Person> people) {
        for (Person p : people) {
            if (byUsername.putIfAbsent(key(p.username()), p) != null) {
                throw new IllegalArgumentException("username " + p.username() + " is seeded twice");
            }
        }
    }

    public Optional<Person> find(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(byUsername.get(key(username)));
    }

    public List<Person> all() {
        return List.copyOf(byUsername.values());
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
