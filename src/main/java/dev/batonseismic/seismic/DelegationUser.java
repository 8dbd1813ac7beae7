package dev.batonseismic.seismic;

import org.springframework.beans.factory.annotation.Autowired;
import dev.batonseismic.config.SeismicProperties;
import dev.batonseismic.config.ConnectorProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.config.ConnectorSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The delegated user the token is requested for: {@code BATON_SEISMIC_DELEGATION_USER_ID} when set, else the
 * {@code delegationUserId} Seismic posted to the "delegation user selected" callback, kept in a file on the data
 * volume so it survives restarts. The callback is verified with {@code x-seismic-signature} (HMAC-SHA256 of the raw
 * body, hex) when a signing secret is configured.
 */
@Component("delegationUser")
public class DelegationUser {
    private static final Logger log = LoggerFactory.getLogger(DelegationUser.class);
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final String configured;
    private final Path stored;
    private final byte[] signingSecret;
    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    public DelegationUser(ConnectorSettings settings, ConnectorProperties connector, SeismicProperties seismic) {
        this(settings, connector.dataDir(), seismic.callback() == null || seismic.callback().signingSecret() == null ? "" : seismic.callback().signingSecret());
    }

    public DelegationUser(ConnectorSettings settings, String dataDir, String signingSecret) {
        this.configured = settings.delegationUserId();
        this.stored = Path.of(dataDir).toAbsolutePath().resolve("delegation-user-id");
        this.signingSecret = signingSecret.isBlank() ? null : signingSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** The delegated user's id, or null when neither the setting nor a callback has given one yet. */
    public String id() {
        if (configured != null) {
            return configured;
        }
        try {
            return Files.exists(stored) ? Files.readString(stored, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stored delegation user id " + stored + ": " + e.getMessage(), e);
        }
    }

    /**
     * Handles Seismic's callback: answers 202 with the stored id, 401 for a bad signature, 400 for a body without a
     * valid {@code delegationUserId}.
     */
    public Map<String, Object> accept(Exchange ex) throws IOException {
        byte[] body = ex.getMessage().getBody(byte[].class);
        if (signingSecret != null && !signed(body, ex.getMessage().getHeader("x-seismic-signature", String.class))
                && !signed(body, ex.getMessage().getHeader("x-seismic-signature-old", String.class))) {
            ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
            return Map.of("error", "x-seismic-signature does not match the body");
        }
        JsonNode n;
        try {
            n = json.readTree(body == null ? new byte[0] : body);
        } catch (IOException e) {
            n = null;
        }
        String id = n == null ? "" : n.path("delegationUserId").asText("");
        if (!GUID.matcher(id).matches()) {
            ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            return Map.of("error", "the callback body needs a delegationUserId (a Seismic user id)");
        }
        Files.createDirectories(stored.getParent());
        Path temp = stored.resolveSibling("delegation-user-id.tmp");
        Files.writeString(temp, id, StandardCharsets.UTF_8);
        Files.move(temp, stored, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.info("Delegated user {} stored from Seismic's callback{}", id,
                configured != null ? " (BATON_SEISMIC_DELEGATION_USER_ID is set and still takes precedence)" : "");
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        return Map.of("delegationUserId", id, "stored", true);
    }

    private boolean signed(byte[] body, String signature) {
        if (signature == null || body == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret, "HmacSHA256"));
            byte[] expected = mac.doFinal(body);
            byte[] given = HexFormat.of().parseHex(signature.trim().toLowerCase());
            return MessageDigest.isEqual(expected, given);
        } catch (IllegalArgumentException e) {
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
