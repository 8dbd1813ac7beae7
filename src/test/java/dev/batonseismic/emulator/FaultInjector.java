package dev.batonseismic.emulator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Faults on demand: each rule matches requests by method and path pattern, lets {@code skip} of them pass, then
 * applies its fault to the next {@code times} (-1: every one) until removed.
 */
public final class FaultInjector {
    /** What a rule does to a matching request. */
    public enum Kind {
        /** Answer with {@code status} (a 5xx, typically) and a generic JSON error body. */
        STATUS,
        /** Answer 429 with Seismic's documented body, "Try again in {@code retryAfterSeconds} seconds". */
        RATE_LIMIT,
        /** Serve the real answer after an extra {@code delayMs}. */
        SLOW,
        /** Send the real status and only the first half of the body (chunked, then the connection closes): cut JSON. */
        TRUNCATE,
        /** Close the connection without any answer. */
        RESET,
        /** Expire every issued token just before this request is served (so it answers 401). */
        EXPIRE_TOKENS,
        /** Serve a SCIM list page with its middle record left out; {@code itemsPerPage} and {@code totalResults} still claim it. */
        SHORT_PAGE,
        /** Answer 200 with a complete body that is not JSON (an HTML page, as a misbehaving proxy sends). */
        NOT_JSON,
        /** Serve the request (its change is applied), then answer {@code status} instead: an answer lost after the fact. */
        STATUS_AFTER_APPLY
    }

    /** One rule. {@code method} and {@code pathRegex} may be null (match all). */
    public record Rule(Kind kind, String method, String pathRegex, int status, long delayMs, long retryAfterSeconds,
                       int skip, int times) {
        public static Rule of(Kind kind) {
            return new Rule(kind, null, null, kind == Kind.STATUS || kind == Kind.STATUS_AFTER_APPLY ? 503 : 0, kind == Kind.SLOW ? 2000 : 0, 5, 0, 1);
        }

        public Rule onPath(String regex) {
            return new Rule(kind, method, regex, status, delayMs, retryAfterSeconds, skip, times);
        }

        public Rule onMethod(String m) {
            return new Rule(kind, m, pathRegex, status, delayMs, retryAfterSeconds, skip, times);
        }

        public Rule status(int s) {
            return new Rule(kind, method, pathRegex, s, delayMs, retryAfterSeconds, skip, times);
        }

        public Rule delayMs(long d) {
            return new Rule(kind, method, pathRegex, status, d, retryAfterSeconds, skip, times);
        }

        public Rule retryAfterSeconds(long s) {
            return new Rule(kind, method, pathRegex, status, delayMs, s, skip, times);
        }

        public Rule skip(int n) {
            return new Rule(kind, method, pathRegex, status, delayMs, retryAfterSeconds, n, times);
        }

        public Rule times(int n) {
            return new Rule(kind, method, pathRegex, status, delayMs, retryAfterSeconds, skip, n);
        }
    }

    private record Armed(Rule rule, Pattern path, AtomicInteger seen) {}

    private final List<Armed> rules = new CopyOnWriteArrayList<>();

    public void add(Rule rule) {
        rules.add(new Armed(rule, rule.pathRegex() == null ? null : Pattern.compile(rule.pathRegex()), new AtomicInteger()));
    }

    public void clear() {
        rules.clear();
    }

    public List<Rule> rules() {
        return rules.stream().map(Armed::rule).toList();
    }

    /** The rule that applies to this request, if any; counts the request against the rule. */
    Rule match(String method, String path) {
        for (Armed a : rules) {
            Rule r = a.rule();
            if ((r.method() == null || r.method().equalsIgnoreCase(method))
                    && (a.path() == null || a.path().matcher(path).find())) {
                int n = a.seen().incrementAndGet();
                if (n <= r.skip()) {
                    continue;
                }
                if (r.times() >= 0 && n > r.skip() + r.times()) {
                    continue;
                }
                return r;
            }
        }
        return null;
    }
}
