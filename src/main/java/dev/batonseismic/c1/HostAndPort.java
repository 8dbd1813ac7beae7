package dev.batonseismic.c1;

import java.util.regex.Pattern;

/**
 * A {@code host[:port]} as ConductorOne's client id and {@code BATON_C1_API_HOST} give it (an IPv6 address in
 * brackets); the port defaults to 443, as in baton-sdk's {@code service_client.go}.
 */
public record HostAndPort(String host, int port) {
    private static final Pattern FORM = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?");

    /** Whether the text is a host name or address with an optional port from 1 to 65535. */
    public static boolean valid(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            return false;
        }
        int colon = text.lastIndexOf(':');
        if (colon > text.lastIndexOf(']') && colon >= 0) {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port >= 1 && port <= 65535;
        }
        return true;
    }

    /** Splits {@code host[:port]}; call {@link #valid} first. */
    public static HostAndPort parse(String text, int defaultPort) {
        int colon = text.lastIndexOf(':');
        boolean hasPort = colon >= 0 && colon > text.lastIndexOf(']');
        String host = hasPort ? text.substring(0, colon) : text;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostAndPort(host, hasPort ? Integer.parseInt(text.substring(colon + 1)) : defaultPort);
    }

    /** {@code host:port}, an IPv6 address in brackets. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
