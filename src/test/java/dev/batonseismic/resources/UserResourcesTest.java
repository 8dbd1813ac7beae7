package dev.batonseismic.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batonseismic.model.BatonRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The baton user record of a SCIM user, byte for byte, and the dates in it. */
public class UserResourcesTest {
    /**
     * SCIM users and the baton user resource each becomes, byte for byte (captured from the tree-built records before
     * users were written straight to JSON): every profile field, a Seismic extension that overrides standard profile
     * keys in place, a zoned and an invalid creation date, escapes, non-ASCII text and surrogate pairs, empty names.
     */
    public static final List<List<String>> USERS = List.of(
            List.of("{\"id\":\"u1\",\"externalId\":\"ext-1\",\"userName\":\"ada@example.com\",\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"},\"title\":\"Engineer\",\"userType\":\"Business\",\"preferredLanguage\":\"en-GB\",\"timezone\":\"Europe/London\",\"active\":false,\"emails\":[{\"value\":\"ada@example.com\",\"type\":\"work\",\"primary\":true},{\"value\":\"ada@home.example.net\",\"type\":\"other\",\"primary\":false}],\"roles\":[{\"value\":\"Admin\"}],\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"R&D\",\"costCenter\":\"42\",\"organization\":\"Analytical\"},\"urn:ietf:params:scim:schemas:extension:seismic:2.0:User\":{\"badge\":\"7\",\"title\":\"Countess\",\"userName\":\"override\"},\"meta\":{\"resourceType\":\"User\",\"created\":\"2023-04-05T06:07:08.123+02:00\",\"lastModified\":\"2024-01-01T00:00:00Z\"}}",
                    "{\"id\":{\"resourceType\":\"user\",\"resource\":\"u1\"},\"displayName\":\"Ada Lovelace\",\"annotations\":[{\"@type\":\"type.googleapis.com/c1.connector.v2.UserTrait\",\"emails\":[{\"address\":\"ada@example.com\",\"isPrimary\":true},{\"address\":\"ada@home.example.net\"}],\"status\":{\"status\":\"STATUS_DISABLED\"},\"profile\":{\"userName\":\"override\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\",\"title\":\"Countess\",\"userType\":\"Business\",\"preferredLanguage\":\"en-GB\",\"timezone\":\"Europe/London\",\"externalId\":\"ext-1\",\"department\":\"R&D\",\"costCenter\":\"42\",\"organization\":\"Analytical\",\"badge\":\"7\",\"active\":false},\"accountType\":\"ACCOUNT_TYPE_HUMAN\",\"login\":\"ada@example.com\",\"structuredName\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"},\"createdAt\":\"2023-04-05T04:07:08.123Z\"}],\"profile\":{\"userName\":\"override\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\",\"title\":\"Countess\",\"userType\":\"Business\",\"preferredLanguage\":\"en-GB\",\"timezone\":\"Europe/London\",\"externalId\":\"ext-1\",\"department\":\"R&D\",\"costCenter\":\"42\",\"organization\":\"Analytical\",\"badge\":\"7\",\"active\":false},\"status\":{\"status\":\"RESOURCE_STATUS_DISABLED\"},\"createdAt\":\"2023-04-05T04:07:08.123Z\"}"),
            List.of("{\"id\":\"u2\",\"userName\":\"bare\",\"meta\":{\"created\":\"not a date\"}}",
                    "{\"id\":{\"resourceType\":\"user\",\"resource\":\"u2\"},\"displayName\":\"bare\",\"annotations\":[{\"@type\":\"type.googleapis.com/c1.connector.v2.UserTrait\",\"emails\":[],\"status\":{\"status\":\"STATUS_ENABLED\"},\"profile\":{\"userName\":\"bare\",\"active\":true},\"accountType\":\"ACCOUNT_TYPE_HUMAN\",\"login\":\"bare\"}],\"profile\":{\"userName\":\"bare\",\"active\":true},\"status\":{\"status\":\"RESOURCE_STATUS_ENABLED\"}}"),
            List.of("{\"id\":\"u3\\\"q\",\"userName\":\"z\\u00fc\\u2603\\ud83d\\ude00\\n\",\"name\":{\"familyName\":\"\\u00d8ster\"},\"emails\":[{\"value\":\"x\"}],\"meta\":{\"created\":\"2024-02-29T23:59:59Z\"}}",
                    "{\"id\":{\"resourceType\":\"user\",\"resource\":\"u3\\\"q\"},\"displayName\":\"Øster\",\"annotations\":[{\"@type\":\"type.googleapis.com/c1.connector.v2.UserTrait\",\"emails\":[{\"address\":\"x\"}],\"status\":{\"status\":\"STATUS_ENABLED\"},\"profile\":{\"userName\":\"zü☃\\uD83D\\uDE00\\n\",\"familyName\":\"Øster\",\"active\":true},\"accountType\":\"ACCOUNT_TYPE_HUMAN\",\"login\":\"zü☃\\uD83D\\uDE00\\n\",\"structuredName\":{\"familyName\":\"Øster\"},\"createdAt\":\"2024-02-29T23:59:59Z\"}],\"profile\":{\"userName\":\"zü☃\\uD83D\\uDE00\\n\",\"familyName\":\"Øster\",\"active\":true},\"status\":{\"status\":\"RESOURCE_STATUS_ENABLED\"},\"createdAt\":\"2024-02-29T23:59:59Z\"}"),
            List.of("{\"id\":\"u4\",\"userName\":\"u4\",\"name\":{},\"active\":true,\"emails\":[],\"meta\":{\"created\":\"2024-01-01T00:00:00.000Z\"}}",
                    "{\"id\":{\"resourceType\":\"user\",\"resource\":\"u4\"},\"displayName\":\"u4\",\"annotations\":[{\"@type\":\"type.googleapis.com/c1.connector.v2.UserTrait\",\"emails\":[],\"status\":{\"status\":\"STATUS_ENABLED\"},\"profile\":{\"userName\":\"u4\",\"active\":true},\"accountType\":\"ACCOUNT_TYPE_HUMAN\",\"login\":\"u4\",\"createdAt\":\"2024-01-01T00:00:00Z\"}],\"profile\":{\"userName\":\"u4\",\"active\":true},\"status\":{\"status\":\"RESOURCE_STATUS_ENABLED\"},\"createdAt\":\"2024-01-01T00:00:00Z\"}"));

    final ObjectMapper json = new ObjectMapper();
    final UserResources records = users(json);

    /** The user records alone (the sync and provisioning collaborators are not needed for them). */
    public static UserResources users(ObjectMapper json) {
        return new UserResources(json, new BatonRecords(json), null, null, null, "delete");
    }

    @Test
    void aUserIsWrittenAsTheRecordBatonReads() throws Exception {
        for (List<String> c : USERS) {
            assertThat(new String(records.userJson(json.readTree(c.get(0))), StandardCharsets.UTF_8)).isEqualTo(c.get(1));
            assertThat(records.user(json.readTree(c.get(0)))).isEqualTo(json.readTree(c.get(1)));
        }
    }

    /** What a SCIM date-time has always become: OffsetDateTime's reading, as an Instant; null when it is not one. */
    private static String parsed(String scim) {
        try {
            return OffsetDateTime.parse(scim).toInstant().toString();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void aDateTimeBecomesTheTimestampItsParseGives() {
        List<String> dates = new ArrayList<>(List.of("2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
                "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.120Z", "2024-01-01T00:00:00.1Z", "2024-01-01T00:00:00.123456Z",
                "2024-01-01T00:00:00.123000Z", "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z", "2024-01-01T23:59:60Z",
                "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999Z", "2024-01-01t00:00:00z", "2024-01-01T00:00:00+00:00", "2024-01-01T01:00:00+01:00",
                "2024-01-01 00:00:00Z", "2024-01-01T00:00Z", "+2024-01-01T00:00:00Z", "2024-1-01T00:00:00Z", "20240101T000000Z",
                "2024-01-01T00:00:00.12aZ", "2024-01-01T00:0a:00Z", "２０２４-01-01T00:00:00Z", "", "not a date"));
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(4) == 0 ? 0
                    : random.nextInt(2) == 0 ? random.nextInt(1000) * 1_000_000 : random.nextInt(1_000_000_000));
            dates.add(t.toString());
            dates.add(t.atOffset(ZoneOffset.ofHours(random.nextInt(-12, 13))).toString());
        }
        for (String date : dates) {
            assertThat(BatonRecords.timestamp(date)).as(date).isEqualTo(parsed(date));
        }
        assertThat(BatonRecords.timestamp(null)).isNull();
    }
}
