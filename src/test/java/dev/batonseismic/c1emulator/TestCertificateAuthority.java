package dev.batonseismic.c1emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time (BouncyCastle, EC P-256), and the server certificate it signed for
 * {@code DNS:localhost} and {@code IP:127.0.0.1}. There is one per JVM ({@link #shared()}): the JDK caches its
 * default {@link SSLContext} on first use, so every emulator in a test JVM must present a certificate from the same
 * CA for one trust store setting to cover them all.
 */
public final class TestCertificateAuthority {
    private static final String PASSWORD = "changeit";
    private static final String CA_ALIAS = "c1-emulator-test-ca";

    private final X509Certificate caCertificate;
    private final SSLContext serverContext;
    private final KeyManagerFactory serverKeys;
    private Path trustStore;

    private static final class Holder {
        static final TestCertificateAuthority SHARED = create();
    }

    private TestCertificateAuthority(X509Certificate caCertificate, SSLContext serverContext, KeyManagerFactory serverKeys) {
        this.caCertificate = caCertificate;
        this.serverContext = serverContext;
        this.serverKeys = serverKeys;
    }

    /** The JVM's test CA, made on first use. */
    public static TestCertificateAuthority shared() {
        return Holder.SHARED;
    }

    /** A CA of its own, which no trust store holds unless asked: for an emulator a client must refuse. */
    public static TestCertificateAuthority throwaway() {
        return create();
    }

    /** The CA's self-signed certificate: what a client must trust to reach the emulator. */
    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /**
     * A PKCS12 file (password {@link #trustStorePassword()}) holding every certificate this JVM trusted by default
     * plus the test CA: a test can point {@code javax.net.ssl.trustStore} at it without breaking other TLS.
     */
    public synchronized Path trustStore() {
        if (trustStore == null) {
            try {
                trustStore = writeTrustStore(caCertificate);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot write the test trust store: " + e.getMessage(), e);
            }
        }
        return trustStore;
    }

    public String trustStorePassword() {
        return PASSWORD;
    }

    /** The {@code javax.net.ssl.*} system properties that make a JVM trust the emulator (for a child JVM's command line). */
    public Map<String, String> trustStoreProperties() {
        return Map.of("javax.net.ssl.trustStore", trustStore().toString(),
                "javax.net.ssl.trustStorePassword", PASSWORD,
                "javax.net.ssl.trustStoreType", "PKCS12");
    }

    /**
     * Makes this JVM trust the emulator through its standard settings: sets the {@link #trustStoreProperties()} and
     * replaces the default {@link SSLContext}, which the JDK builds once and caches (an earlier
     * {@code HttpClient.newHttpClient()} in the same JVM would otherwise have fixed the old trust for good).
     */
    public synchronized void installAsJvmTrust() {
        trustStoreProperties().forEach(System::setProperty);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(trustStore())) {
                store.load(in, PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            SSLContext.setDefault(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot install the test trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    /** A client context that trusts the test CA and nothing else. */
    public SSLContext clientContextTrustingOnlyTestCa() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(CA_ALIAS, caCertificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server side: the key and the chain (server certificate, CA). */
    SSLContext serverContext() {
        return serverContext;
    }

    /** The same key and chain, for a server that sets up its own TLS (Netty's). */
    public KeyManagerFactory serverKeys() {
        return serverKeys;
    }

    private static TestCertificateAuthority create() {
        try {
            Instant now = Instant.now();
            Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
            Date notAfter = Date.from(now.plus(Duration.ofDays(30)));
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            SecureRandom random = new SecureRandom();

            KeyPair caKeys = ecKeyPair();
            X500Name caName = new X500Name("CN=C1 Emulator Test CA, O=baton-seismic tests");
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, new BigInteger(64, random).add(BigInteger.ONE),
                    notBefore, notAfter, caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys);

            KeyPair serverKeys = ecKeyPair();
            GeneralNames names = new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
            X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCert, new BigInteger(64, random).add(BigInteger.ONE),
                    notBefore, notAfter, new X500Name("CN=localhost"), serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, names)
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(serverKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCert));
            X509Certificate serverCert = sign(server, caKeys);

            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", serverKeys.getPrivate(), PASSWORD.toCharArray(),
                    new X509Certificate[] {serverCert, caCert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD.toCharArray());
            SSLContext serverContext = SSLContext.getInstance("TLS");
            serverContext.init(kmf.getKeyManagers(), null, random);

            return new TestCertificateAuthority(caCert, serverContext, kmf);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the C1 emulator's test CA: " + e.getMessage(), e);
        }
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    private static Path writeTrustStore(X509Certificate caCert) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        int n = 0;
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                for (X509Certificate cert : x509.getAcceptedIssuers()) {
                    store.setCertificateEntry("jvm-default-" + n++, cert);
                }
            }
        }
        store.setCertificateEntry(CA_ALIAS, caCert);
        Path file = Files.createTempFile("c1-emulator-truststore-", ".p12");
        file.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }
}
