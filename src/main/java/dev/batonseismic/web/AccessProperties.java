package dev.batonseismic.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the REST API and Hawtio ({@code connector.security.*}, from the credentials Secret): users with a
 * password (HTTP basic or the login form) and API keys (sent as {@code Authorization: Bearer <key>}). Roles:
 * {@code admin} (everything, including starting and stopping routes in Hawtio), {@code viewer} (read only),
 * {@code api} (the REST API, read and write).
 */
@ConfigurationProperties("connector.security")
public record AccessProperties(@DefaultValue List<User> users, @DefaultValue List<ApiKey> apiKeys) {

    /** A login; the password may carry a Spring encoder prefix such as {@code {bcrypt}}, plain text otherwise. */
    public record User(String name, String password, @DefaultValue("viewer") List<String> roles) {
        @Override
        public String toString() {
            return "User[" + name + ", roles=" + roles + ", password=(hidden)]";
        }
    }

    /** A bearer key for machines (CI, the governance platform); {@code name} is what logs and Hawtio show. */
    public record ApiKey(@DefaultValue("api-client") String name, String key, @DefaultValue("api") List<String> roles) {
        @Override
        public String toString() {
            return "ApiKey[" + name + ", roles=" + roles + ", key=(hidden)]";
        }
    }
}
