package dev.batonseismic.c1emulator;

import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Faults on demand: the next N calls of a method fail with a code, or the next N uploads break after some chunks. */
final class C1Faults {
    /** The unary methods a fault can be armed on. */
    enum Method { HELLO, GET_TASK, HEARTBEAT, FINISH_TASK }

    private record Armed(int remaining, Status.Code code) {}

    private record UploadBreak(int remaining, int afterChunks) {}

    private final Map<Method, Armed> armed = new ConcurrentHashMap<>();
    private volatile UploadBreak uploadBreak;

    void failNext(Method method, int times, Status.Code code) {
        if (times <= 0) {
            armed.remove(method);
        } else {
            armed.put(method, new Armed(times, code));
        }
    }

    /** The code this call must fail with, or null; counts the call against the armed fault. */
    Status.Code claim(Method method) {
        Armed[] hit = new Armed[1];
        armed.computeIfPresent(method, (m, a) -> {
            hit[0] = a;
            return a.remaining() > 1 ? new Armed(a.remaining() - 1, a.code()) : null;
        });
        return hit[0] == null ? null : hit[0].code();
    }

    synchronized void breakNextUploads(int uploads, int afterChunks) {
        uploadBreak = uploads <= 0 ? null : new UploadBreak(uploads, Math.max(0, afterChunks));
    }

    /** For a starting upload: after how many data chunks it must break, or -1 when it must not. */
    synchronized int claimUploadBreak() {
        UploadBreak b = uploadBreak;
        if (b == null) {
            return -1;
        }
        uploadBreak = b.remaining() > 1 ? new UploadBreak(b.remaining() - 1, b.afterChunks()) : null;
        return b.afterChunks();
    }

    synchronized void clear() {
        armed.clear();
        uploadBreak = null;
    }
}
