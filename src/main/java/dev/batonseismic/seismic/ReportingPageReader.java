package dev.batonseismic.seismic;

import dev.batonseismic.config.SyncProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The {@code reportingPage} bean: the page arithmetic of the {@code reporting-paged-resource} template: Seismic's reporting API pages with
 * {@code limit}/{@code offset} and answers flat JSON arrays; a page shorter than the limit is the last.
 */
@Component("reportingPage")
public class ReportingPageReader {
    private final int limit;

    public ReportingPageReader(SyncProperties sync) {
        this.limit = sync.reportingPageSize();
    }

    /** A new listing: offset 0, the first page next. */
    public void open(Exchange ex) {
        ex.setProperty("offset", 0);
        ex.setProperty("reportingLimit", limit);
        ex.setProperty("morePages", true);
    }

    /** One page's records; advances {@code offset}, and {@code morePages} stays true while pages come back full. */
    public List<JsonNode> read(Exchange ex) {
        JsonNode page = SeismicResponse.takeJson(ex);
        if (page == null || !page.isArray()) {
            throw new SeismicApiException(200, "Seismic's reporting API sent " + ex.getProperty("seismicPath") + " as something "
                    + "other than a JSON array");
        }
        List<JsonNode> records = new ArrayList<>(page.size());
        page.forEach(records::add);
        ex.setProperty("offset", ex.getProperty("offset", 0, Integer.class) + page.size());
        ex.setProperty("morePages", page.size() >= limit);
        return records;
    }
}
