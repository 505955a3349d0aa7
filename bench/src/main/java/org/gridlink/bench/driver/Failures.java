package org.gridlink.bench.driver;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The failed requests of a run by kind: what answered them (a status and the problem's title) or what ended them (an
 * exception), with the request's method and path shape. A load phase's error count says that requests failed; this
 * says how, so that a run that went wrong names its cause in its results. The first failure of each kind is told as it
 * happens (its time lines it up with the progress lines, the apps' logs and GC logs).
 */
public final class Failures {

    private static final Pattern UNIT = Pattern.compile("/\\d{12}(?=/|$|\\?)");
    private static final Pattern ID = Pattern.compile(
            "/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=/|$|\\?)");
    private static final Pattern TITLE = Pattern.compile("\"title\"\\s*:\\s*\"([^\"]{0,120})\"");

    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
    private final Consumer<String> firstOfKind;

    /** @param firstOfKind told the kind and the first failure's details, once per kind */
    public Failures(Consumer<String> firstOfKind) {
        this.firstOfKind = firstOfKind;
    }

    /** A request answered with a status that is not 2xx; {@code body} its answer (a problem's title names the kind). */
    public void answered(String method, String path, int status, String body) {
        Matcher title = TITLE.matcher(body == null ? "" : body);
        String kind = method + " " + shape(path) + " → " + status + (title.find() ? " " + title.group(1) : "");
        count(kind, body == null ? "" : abbreviate(body));
    }

    /** A request that got no answer: the exception that ended it. */
    public void ended(String method, String path, Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        count(method + " " + shape(path) + " → " + root.getClass().getSimpleName(),
                String.valueOf(root.getMessage()));
    }

    private void count(String kind, String details) {
        LongAdder fresh = new LongAdder();
        LongAdder seen = byKind.putIfAbsent(kind, fresh);
        (seen == null ? fresh : seen).increment();
        if (seen == null) {
            firstOfKind.accept(kind + (details.isBlank() ? "" : ": " + details));
        }
    }

    /** The counts so far, by kind, most first. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        byKind.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
        return out;
    }

    /** The path without its query, a unit code as {unit} and a UUID as {id}. */
    static String shape(String path) {
        int q = path.indexOf('?');
        String p = q < 0 ? path : path.substring(0, q);
        return ID.matcher(UNIT.matcher(p).replaceAll("/{unit}")).replaceAll("/{id}");
    }

    private static String abbreviate(String body) {
        String one = body.replaceAll("\\s+", " ").strip();
        return one.length() <= 300 ? one : one.substring(0, 300) + "…";
    }
}
