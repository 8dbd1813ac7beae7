package dev.batonseismic.seismic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads one SCIM ListResponse page and advances the cursor of the pagination loop: sets {@code startIndex} to the
 * next page and {@code morePages} to whether Seismic has more ({@code startIndex <= totalResults}), so a tenant of n
 * records takes max(1, ceil(n / count)) calls. The body becomes the page's resources.
 */
@Component("scimPage")
public class ScimPageReader {
    private final ObjectMapper json = new ObjectMapper();

    public List<JsonNode> read(Exchange ex) throws IOException {
        JsonNode page;
        try (InputStream in = ex.getMessage().getBody(InputStream.class)) {
            page = json.readTree(in);
        } catch (IOException e) {
            throw new SeismicApiException(200, "Seismic sent a SCIM page that is not valid JSON for "
                    + ex.getProperty("seismicPath") + " (startIndex " + ex.getProperty("startIndex") + "): " + e.getMessage());
        }
        if (page == null || !page.has("totalResults") || !page.path("Resources").isArray() && page.path("totalResults").asInt() > 0) {
            throw new SeismicApiException(200, "Seismic sent a SCIM page without totalResults/Resources for " + ex.getProperty("seismicPath"));
        }
        int start = ex.getProperty("startIndex", 1, Integer.class);
        int total = page.get("totalResults").asInt();
        List<JsonNode> resources = new ArrayList<>();
        page.path("Resources").forEach(resources::add);
        int next = start + resources.size();
        ex.setProperty("startIndex", next);
        ex.setProperty("totalResults", total);
        ex.setProperty("morePages", !resources.isEmpty() && next <= total);
        return resources;
    }
}
