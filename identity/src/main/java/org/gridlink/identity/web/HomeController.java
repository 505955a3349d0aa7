package org.gridlink.identity.web;

import java.security.Principal;
import org.gridlink.identity.people.People;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Where the login form lands when nobody asked for a token: says who is logged in. */
@RestController
class HomeController {

    private final People people;

    HomeController(People people) {
        this.people = people;
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8")
    String home(Principal principal) {
        String who = people.find(principal.getName())
                .map(p -> p.name() + " (" + p.username() + ", " + String.join(", ", p.roleNames()) + ", unit "
                        + p.unit() + ")")
                .orElse(principal.getName());
        return "gridlink identity: logged in as " + who + ".\nLog out at /logout.\n";
    }
}
