package org.gridlink.identity.client;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Logs a person in the way a browser does and returns the access token: the authorization code flow with PKCE
 * against the identity service, through its login form. For tests, scripts ({@code deploy/local/login.sh}) and
 * anyone who wants a token on the command line. Needs nothing but the JDK.
 *
 * <p>Each step is explicit (redirects are not followed automatically): {@code GET /oauth2/authorize} → the
 * login form → {@code POST /login} with the form's CSRF token and the session cookie → back to
 * {@code /oauth2/authorize} → the code, read from the redirect to {@code redirectUri} (which is never called)
 * → {@code POST /oauth2/token} with the code verifier.
 */
public final class PkceLogin {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_HOPS = 10;
    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern CSRF_NAME = Pattern.compile("\\bname\\s*=\\s*[\"']_csrf[\"']", Pattern.CASE_INSENSITIVE);
    private static final Pattern VALUE = Pattern.compile("\\bvalue\\s*=\\s*[\"']([^\"']*)[\"']", Pattern.CASE_INSENSITIVE);
    private static final Pattern FORM_ACTION = Pattern.compile("<form\\b[^>]*\\baction\\s*=\\s*[\"']([^\"']*)[\"']",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final URI issuer;

    private PkceLogin(URI issuer) {
        this.issuer = issuer;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .connectTimeout(TIMEOUT)
                .build();
    }

    /**
     * The access token (a JWT) that the identity service at {@code issuer} gives {@code clientId} after
     * {@code username} logged in with {@code password}.
     *
     * @throws IllegalStateException when the login is refused, or the server answers anything unexpected
     */
    public static String accessToken(URI issuer, String clientId, URI redirectUri, String username, String password) {
        return new PkceLogin(issuer).login(clientId, redirectUri, username, password);
    }

    private String login(String clientId, URI redirectUri, String username, String password) {
        String verifier = random(32);
        String state = random(16);
        URI authorize = resolve("/oauth2/authorize?" + form(ordered(
                "response_type", "code",
                "client_id", clientId,
                "redirect_uri", redirectUri.toString(),
                "scope", "openid profile",
                "state", state,
                "code_challenge", challenge(verifier),
                "code_challenge_method", "S256")));

        // 1. the authorization request: not logged in yet, so off to the login form
        HttpResponse<String> response = get(authorize);
        URI loginPage = redirectTarget(response, authorize, "the authorization request");
        if (loginPage.toString().startsWith(redirectUri.toString())) {
            throw new IllegalStateException("the authorization request was refused: " + loginPage.getRawQuery());
        }

        // 2. the login form, with its CSRF token
        response = get(loginPage);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the login page " + loginPage + " answered " + response.statusCode());
        }
        String csrf = csrfToken(response.body())
                .orElseThrow(() -> new IllegalStateException("the login page " + loginPage + " has no _csrf field"));
        Matcher action = FORM_ACTION.matcher(response.body());
        URI loginAction = loginPage.resolve(action.find() ? action.group(1).replace("&amp;", "&") : "/login");

        // 3. log in: the session now belongs to the person, and the saved authorization request continues
        response = send(HttpRequest.newBuilder(loginAction)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(form(ordered(
                        "username", username, "password", password, "_csrf", csrf))))
                .build());
        URI next = redirectTarget(response, loginAction, "the login");
        if (next.getPath() != null && next.getPath().endsWith("/login")) {
            throw new IllegalStateException("login refused for " + username);
        }

        // 4. back to the authorization endpoint, which now redirects to the client with the code
        String code = null;
        for (int hop = 0; hop < MAX_HOPS && code == null; hop++) {
            if (next.toString().startsWith(redirectUri.toString())) {
                Map<String, String> params = query(next);
                if (params.containsKey("error")) {
                    throw new IllegalStateException("authorization refused for " + username + ": "
                            + params.get("error") + " " + params.getOrDefault("error_description", ""));
                }
                if (!state.equals(params.get("state"))) {
                    throw new IllegalStateException("the authorization response carries another state");
                }
                code = Optional.ofNullable(params.get("code"))
                        .orElseThrow(() -> new IllegalStateException("no code in the redirect to " + redirectUri));
            } else if (next.getPath() != null && next.getPath().endsWith("/login")) {
                throw new IllegalStateException("login refused for " + username);
            } else {
                URI current = next;
                next = redirectTarget(get(current), current, "the authorization request after login");
            }
        }
        if (code == null) {
            throw new IllegalStateException("no authorization code after " + MAX_HOPS + " redirects");
        }

        // 5. the code and the verifier for the tokens
        URI tokenEndpoint = resolve("/oauth2/token");
        response = send(HttpRequest.newBuilder(tokenEndpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(ordered(
                        "grant_type", "authorization_code",
                        "code", code,
                        "redirect_uri", redirectUri.toString(),
                        "client_id", clientId,
                        "code_verifier", verifier))))
                .build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the token endpoint answered " + response.statusCode() + ": "
                    + response.body());
        }
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        if (!token.find()) {
            throw new IllegalStateException("the token response has no access_token: " + response.body());
        }
        return token.group(1);
    }

    /** The Location of a redirect, resolved against the request; anything but a redirect is a failure. */
    private static URI redirectTarget(HttpResponse<String> response, URI request, String step) {
        int status = response.statusCode();
        Optional<String> location = response.headers().firstValue("Location");
        if (status / 100 != 3 || location.isEmpty()) {
            String body = response.body() == null ? "" : response.body();
            throw new IllegalStateException(step + " (" + request + ") answered " + status + " instead of a redirect"
                    + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(body.length(), 300))));
        }
        return request.resolve(location.get());
    }

    private HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(TIMEOUT).build();
        try {
            return http.send(timed, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the identity service at " + issuer + " ("
                    + request.method() + " " + request.uri() + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while logging in", e);
        }
    }

    private URI resolve(String pathAndQuery) {
        String base = issuer.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
    }

    static Optional<String> csrfToken(String html) {
        Matcher input = INPUT.matcher(html);
        while (input.find()) {
            String tag = input.group();
            if (CSRF_NAME.matcher(tag).find()) {
                Matcher value = VALUE.matcher(tag);
                if (value.find()) {
                    return Optional.of(value.group(1));
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /**
     * Prints the access token: {@code PkceLogin <username> <password> [issuer] [redirect URI] [client id]},
     * defaults {@code http://localhost:9000}, {@code http://127.0.0.1:8080/}, {@code gridlink-console}.
     */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 5) {
            System.err.println("usage: PkceLogin <username> <password> [issuer, default http://localhost:9000] "
                    + "[redirect URI, default http://127.0.0.1:8080/] [client id, default gridlink-console]");
            System.exit(2);
        }
        URI issuer = URI.create(args.length > 2 ? args[2] : "http://localhost:9000");
        URI redirect = URI.create(args.length > 3 ? args[3] : "http://127.0.0.1:8080/");
        String client = args.length > 4 ? args[4] : "gridlink-console";
        try {
            System.out.println(accessToken(issuer, client, redirect, args[0], args[1]));
        } catch (IllegalStateException e) {
            System.err.println("login failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
