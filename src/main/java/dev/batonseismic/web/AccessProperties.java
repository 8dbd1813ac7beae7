package dev.batonseismic.web;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may use the REST API and Hawtio ({@code connector.security.*}, from the credentials Secret): users with a
 * password (HTTP basic or the login form) and API keys (sent as {@code Authorization: Bearer <key>}). Roles:
 * {@code admin} (everything, including starting and stopping routes in Hawtio), {@code viewer} (read only),
 * {@code api} (the REST API, read and write).
 */
@ConfigurationProperties("connector.security")
public class AccessProperties {
    private List<User> users = new ArrayList<>();
    private List<ApiKey> apiKeys = new ArrayList<>();

    public List<User> getUsers() {
        return users;
    }

    public void setUsers(List<User> users) {
        this.users = users;
    }

    public List<ApiKey> getApiKeys() {
        return apiKeys;
    }

    public void setApiKeys(List<ApiKey> apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** A login; the password may carry a Spring encoder prefix such as {@code {bcrypt}}, plain text otherwise. */
    public static class User {
        private String name;
        private String password;
        private List<String> roles = new ArrayList<>(List.of("viewer"));

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public List<String> getRoles() {
            return roles;
        }

        public void setRoles(List<String> roles) {
            this.roles = roles;
        }

        @Override
        public String toString() {
            return "User[" + name + ", roles=" + roles + ", password=(hidden)]";
        }
    }

    /** A bearer key for machines (CI, the governance platform); {@code name} is what logs and Hawtio show. */
    public static class ApiKey {
        private String name = "api-client";
        private String key;
        private List<String> roles = new ArrayList<>(List.of("api"));

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public List<String> getRoles() {
            return roles;
        }

        public void setRoles(List<String> roles) {
            this.roles = roles;
        }

        @Override
        public String toString() {
            return "ApiKey[" + name + ", roles=" + roles + ", key=(hidden)]";
        }
    }
}
