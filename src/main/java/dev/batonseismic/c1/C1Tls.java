package dev.batonseismic.c1;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS towards ConductorOne: 1.2 or later, trusting what the JVM trusts through its standard settings
 * ({@code javax.net.ssl.trustStore}, {@code …trustStorePassword}, {@code …trustStoreType}, else the JDK's cacerts), read
 * when the connection is set up: a site with its own CA sets those and needs nothing else.
 */
final class C1Tls {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private C1Tls() {}

    static TrustManagerFactory trust() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the JVM's trusted certificates (javax.net.ssl.trustStore): " + e.getMessage(), e);
        }
    }

    /** For the token request (java.net.http). */
    static SSLContext sslContext(TrustManagerFactory trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for ConductorOne: " + e.getMessage(), e);
        }
    }

    static SSLParameters parameters() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(PROTOCOLS);
        return p;
    }

    /** For the gRPC channel (Netty, HTTP/2 by ALPN). */
    static SslContext grpcContext(TrustManagerFactory trust) {
        try {
            return GrpcSslContexts.forClient().trustManager(trust).protocols(PROTOCOLS).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for ConductorOne: " + e.getMessage(), e);
        }
    }
}
