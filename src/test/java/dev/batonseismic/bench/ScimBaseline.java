package dev.batonseismic.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The benchmark's baseline: the straightforward way to read a Seismic tenant, with the JDK's HttpClient and Jackson.
 * One request at a time: a delegation token, the role catalog, the users ({@code count=100} pages), the groups, and
 * every group's members; a 429 is waited out for the "Try again in N seconds" of its body. It counts what the
 * connector reports: users, groups, memberships, role grants (SCIM role values naming a live catalog role) and
 * license grants (every userType but NonSeismic).
 */
public final class ScimBaseline {
    private static final Pattern TRY_AGAIN = Pattern.compile("Try again in (\\d+) second");
    private static final Set<String> CONTENT_TIERS = Set.of("Business", "Premium", "Partner");

    /** What one baseline sync saw, and what it cost. */
    public record Result(long users, long groups, long memberships, long roleGrants, long licenseGrants,
                         long calls, long rateLimited, long durationMs) {
        Map<String, Long> counts() {
            return Counts.of(users, groups, memberships, roleGrants, licenseGrants);
        }
    }

    private final String apiUrl;
    private final String tokenUrl;
    private final String tokenForm;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private String token;
    private long calls;
    private long rateLimited;

    public ScimBaseline(String apiUrl, String tokenUrl, String clientId, String clientSecret, String delegatedUserId) {
        this.apiUrl = apiUrl;
        this.tokenUrl = tokenUrl;
        this.tokenForm = Map.of("grant_type", "delegation", "client_id", clientId, "client_secret", clientSecret,
                        "user_id", delegatedUserId).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public Result run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        token = requestToken();
        Set<String> catalogRoles = new HashSet<>();
        int offset = 0;
        while (true) {
            JsonNode page = get("/reporting/v2/entitlementRoles?limit=1000&offset=" + offset);
            page.forEach(r -> {
                if (!r.path("isDeleted").asBoolean(false)) {
                    catalogRoles.add(r.path("name").asText());
                }
            });
            offset += page.size();
            if (page.size() < 1000) {
                break;
            }
        }
        long[] users = new long[3]; // users, role grants, license grants
        pages("/scim/v2/Users", user -> {
            users[0]++;
            for (JsonNode role : user.path("roles")) {
                String value = role.isTextual() ? role.asText() : role.path("value").asText();
                if (!CONTENT_TIERS.contains(value) && catalogRoles.contains(value)) {
                    users[1]++;
                }
            }
            String userType = user.path("userType").asText("").trim();
            if (!userType.isEmpty() && !userType.equals("NonSeismic")) {
                users[2]++;
            }
        });
        List<String> groupIds = new ArrayList<>();
        pages("/scim/v2/Groups", group -> groupIds.add(group.path("id").asText()));
        long[] memberships = new long[1];
        for (String gid : groupIds) {
            pages("/scim/v2/Groups/" + gid + "/Users", member -> memberships[0]++);
        }
        return new Result(users[0], groupIds.size(), memberships[0], users[1], users[2], calls, rateLimited,
                (System.nanoTime() - start) / 1_000_000);
    }

    private interface RecordHandler {
        void accept(JsonNode resource);
    }

    /** startIndex=1, 101, … with count=100 until a page is empty or the next index is past totalResults. */
    private void pages(String path, RecordHandler handler) throws IOException, InterruptedException {
        int startIndex = 1;
        while (true) {
            JsonNode page = get(path + "?startIndex=" + startIndex + "&count=100");
            JsonNode resources = page.path("Resources");
            resources.forEach(handler::accept);
            startIndex += resources.size();
            if (resources.isEmpty() || startIndex > page.path("totalResults").asInt()) {
                return;
            }
        }
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        boolean renewed = false;
        while (true) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(apiUrl + pathAndQuery))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/scim+json, application/json")
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            calls++;
            if (r.statusCode() == 200) {
                return json.readTree(r.body());
            }
            if (r.statusCode() == 429) {
                rateLimited++;
                Matcher m = TRY_AGAIN.matcher(new String(r.body(), StandardCharsets.UTF_8));
                // the plain client the issue describes waits what the 429 says (this is the measured client, not a test wait)
                Thread.sleep(Duration.ofSeconds(m.find() ? Long.parseLong(m.group(1)) : 1).toMillis());
            } else if (r.statusCode() == 401 && !renewed) {
                renewed = true;
                token = requestToken();
            } else {
                throw new IOException("GET " + pathAndQuery + " answered " + r.statusCode() + ": "
                        + new String(r.body(), StandardCharsets.UTF_8));
            }
        }
    }

    private String requestToken() throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(tokenForm)).build(), HttpResponse.BodyHandlers.ofByteArray());
        calls++;
        if (r.statusCode() != 200) {
            throw new IOException("the token request answered " + r.statusCode());
        }
        return json.readTree(r.body()).path("access_token").asText();
    }
}
