package org.gridlink.identity.config;

import static org.springframework.security.config.Customizer.withDefaults;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.gridlink.identity.keys.SigningKeys;
import org.gridlink.identity.people.People;
import org.gridlink.identity.people.PeopleLoader;
import org.gridlink.identity.people.SeededUsers;
import org.gridlink.identity.tokens.PersonClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import tools.jackson.databind.ObjectMapper;

/**
 * The authorization server: its endpoints (authorize, token, JWK Set, OpenID Connect), the form login, the
 * console as its one client, the signing key, the seeded people and the claims they carry.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
public class AuthorizationServerConfiguration {

    /** The browser console's client id: a public client (no secret) that must use PKCE. */
    public static final String CONSOLE_CLIENT_ID = "gridlink-console";

    /** The endpoints a browser app on another origin calls with fetch(). */
    static final List<String> CROSS_ORIGIN_PATHS = List.of("/oauth2/token", "/oauth2/jwks", "/userinfo",
            "/oauth2/revoke", "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server");

    private static final Logger log = LoggerFactory.getLogger(AuthorizationServerConfiguration.class);

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain authorizationServerEndpoints(HttpSecurity http) {
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.oidc(oidc -> oidc.userInfoEndpoint(userInfo -> userInfo.userInfoMapper(
                    AuthorizationServerConfiguration::userInfo)));
        });
        http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(withDefaults()))
                .cors(withDefaults()) // corsConfigurationSource below
                // a browser (it asks for HTML) that is not logged in yet goes to the login form
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), htmlRequests()));
        return http.build();
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityFilterChain loginAndEverythingElse(HttpSecurity http) {
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/error")
                        .permitAll()
                        .anyRequest().authenticated())
                .formLogin(withDefaults())
                .cors(withDefaults()); // corsConfigurationSource below
        return http.build();
    }

    /** Found by its name by both filter chains' {@code cors()}. */
    @Bean
    CorsConfigurationSource corsConfigurationSource(IdentityProperties props) {
        CorsConfiguration console = new CorsConfiguration();
        console.setAllowedOrigins(props.consoleOrigins());
        console.setAllowedMethods(List.of("GET", "POST"));
        console.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "DPoP"));
        console.setMaxAge(3600L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        CROSS_ORIGIN_PATHS.forEach(path -> source.registerCorsConfiguration(path, console));
        return source;
    }

    @Bean
    RegisteredClientRepository registeredClients(IdentityProperties props) {
        if (props.consoleRedirectUris().isEmpty()) {
            throw new IllegalStateException("gridlink.identity.console-redirect-uris names no redirect URI");
        }
        RegisteredClient console = RegisteredClient.withId(CONSOLE_CLIENT_ID)
                .clientId(CONSOLE_CLIENT_ID)
                .clientName("gridlink web console")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUris(uris -> uris.addAll(props.consoleRedirectUris()))
                .postLogoutRedirectUris(uris -> uris.addAll(props.consoleRedirectUris()))
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(props.accessTokenTtl()).build())
                .build();
        return new InMemoryRegisteredClientRepository(console);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IdentityProperties props) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (StringUtils.hasText(props.issuer())) {
            settings.issuer(props.issuer());
        }
        return settings.build();
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(IdentityProperties props) {
        JWKSet keys;
        if (StringUtils.hasText(props.keyFile())) {
            Path file = Path.of(props.keyFile()).toAbsolutePath();
            keys = SigningKeys.fromFile(file);
            log.info("Signing tokens with key {} from {}", keys.getKeys().get(0).getKeyID(), file);
        } else {
            keys = SigningKeys.inMemory();
            log.info("Signing tokens with key {}, made for this run only (no gridlink.identity.key-file)",
                    keys.getKeys().get(0).getKeyID());
        }
        return new ImmutableJWKSet<>(keys);
    }

    @Bean
    People people(ResourceLoader resources, ObjectMapper json, @Value("${gridlink.seeds}") String seeds) {
        People people = new PeopleLoader(resources, json).load(seeds);
        log.info("{} people from {}/people.json can log in (demo passwords: local use only)", people.all().size(),
                seeds);
        return people;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(People people, PasswordEncoder passwordEncoder) {
        return new SeededUsers(people, passwordEncoder);
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> personClaims(People people) {
        return new PersonClaims(people);
    }

    /** User info answers with what the ID token says, custom claims included. */
    private static OidcUserInfo userInfo(OidcUserInfoAuthenticationContext context) {
        OAuth2Authorization authorization = context.getAuthorization();
        OAuth2Authorization.Token<OidcIdToken> idToken = authorization.getToken(OidcIdToken.class);
        if (idToken == null) {
            return OidcUserInfo.builder().subject(authorization.getPrincipalName()).build();
        }
        return new OidcUserInfo(idToken.getToken().getClaims());
    }

    private static MediaTypeRequestMatcher htmlRequests() {
        MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return html;
    }
}
