package dev.batonseismic.emulator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Tenant changes a test schedules for the moment a matching request arrives, run before the request is served: the
 * tenant changing in the middle of a client's paging (users created or deleted between two pages, a group deleted
 * between listing it and reading its members). Like a fault rule, a hook matches by method and path pattern, lets
 * {@code skip} matching requests pass, then runs for the next {@code times} (-1: every one).
 */
public final class RequestHooks {
    private record Hook(String method, Pattern path, int skip, int times, Runnable action, AtomicInteger seen) {}

    private final List<Hook> hooks = new CopyOnWriteArrayList<>();

    /** Runs {@code action} before serving matching requests number skip+1 … skip+times ({@code method} null: any). */
    public void add(String method, String pathRegex, int skip, int times, Runnable action) {
        hooks.add(new Hook(method, Pattern.compile(pathRegex), skip, times, action, new AtomicInteger()));
    }

    public void clear() {
        hooks.clear();
    }

    void before(String method, String path) {
        for (Hook h : hooks) {
            if ((h.method() == null || h.method().equalsIgnoreCase(method)) && h.path().matcher(path).find()) {
                int n = h.seen().incrementAndGet();
                if (n > h.skip() && (h.times() < 0 || n <= h.skip() + h.times())) {
                    h.action().run();
                }
            }
        }
    }
}
