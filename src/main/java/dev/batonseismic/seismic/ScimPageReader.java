package dev.batonseismic.seismic;

import dev.batonseismic.config.SyncProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code scimPage} bean: reads SCIM ListResponse pages for the pagination loop of the {@code scim-paged-resource} template, and re-checks each
 * pass over a listing.
 * <p>
 * {@link #nextPages} hands out the pages to read ({@link ScimListing}): the first one, then, once its
 * {@code totalResults} is known, the others, a batch at a time, for the template's parallel split, so a still tenant
 * of n records takes max(1, ceil(n / count)) calls. {@link #read} turns a page into its records that were not handed on
 * before (by id), so a record never goes out twice.
 * <p>
 * {@link #endPass} re-checks the totals: offset paging skips a record when the tenant changes under it (a record
 * deleted before the cursor moves the next one back onto a page already read). If the pass saw totalResults change, or
 * read a different number of distinct records than the total, the listing is read again from the start
 * ({@code morePasses}), handing on only records not seen yet, up to {@code sync.listing-passes} passes; a listing still
 * changing after that fails the sync rather than publish a picture with holes.
 */
@Component("scimPage")
public class ScimPageReader {
    /** The exchange property holding the current {@link ScimListing}. */
    public static final String LISTING = "scimListing";
    /** The exchange property holding the {@link ScimListing.Page} one split exchange reads. */
    public static final String PAGE = "scimPageRequest";
    private static final Logger log = LoggerFactory.getLogger(ScimPageReader.class);

    private final int maxPasses;
    private final int pageSize;
    private final int batch;

    public ScimPageReader(SyncProperties sync) {
        this.maxPasses = sync.listingPasses();
        this.pageSize = sync.pageSize();
        this.batch = Math.max(8, 4 * sync.concurrency());
    }

    /** A new listing: the first pass comes next. */
    public void open(Exchange ex) {
        ex.setProperty(LISTING, new ScimListing(maxPasses, pageSize));
        ex.setProperty("morePasses", true);
    }

    /** One pass over the listing, from the first page. */
    public void startPass(Exchange ex) {
        listing(ex).startPass();
        ex.setProperty("morePages", true);
    }

    /**
     * The pages to read next, for the template's parallel split: the first page alone, then the pages it announced
     * (and any gap a short page left), 4 × {@code sync.concurrency} at a time: a split holds its pages' exchanges until
     * it ends, so a batch bounds what a listing of a million users holds. {@code morePages} turns false when there
     * are none: the pass is complete.
     */
    public List<ScimListing.Page> nextPages(Exchange ex) {
        List<ScimListing.Page> pages = listing(ex).nextPages(batch);
        ex.setProperty("morePages", !pages.isEmpty());
        return pages;
    }

    /** One page of the split: {@code startIndex} and {@code pageCount} for its request. */
    public void startPage(@Body ScimListing.Page page, Exchange ex) {
        ex.setProperty(PAGE, page);
        ex.setProperty("startIndex", page.startIndex());
        ex.setProperty("pageCount", page.count());
    }

    /** The page's records not handed on before; the listing learns the total and what the page covered. */
    public List<JsonNode> read(Exchange ex) {
        ScimListing listing = listing(ex);
        ScimListing.Page request = ex.getProperty(PAGE, ScimListing.Page.class);
        if (ex.getProperty("seismicStatus", 0, Integer.class) == 404) {
            listing.gone(); // only where the template accepts 404: the listed resource was deleted
            return List.of();
        }
        JsonNode page = SeismicResponse.takeJson(ex);
        if (page == null || !page.has("totalResults") || !page.path("Resources").isArray() && page.path("totalResults").asInt() > 0) {
            throw new SeismicApiException(200, "Seismic sent a SCIM page without totalResults/Resources for " + ex.getProperty("seismicPath"));
        }
        int total = page.get("totalResults").asInt();
        JsonNode resources = page.path("Resources");
        List<JsonNode> fresh = new ArrayList<>(resources.size());
        synchronized (listing) {
            listing.expect(total);
            for (JsonNode resource : resources) {
                String id = resource.path("id").asText();
                if (id.isEmpty()) {
                    throw new SeismicApiException(200, "Seismic sent a SCIM record without an id in " + ex.getProperty("seismicPath")
                            + " (startIndex " + request.startIndex() + ")");
                }
                if (listing.first(id)) {
                    fresh.add(resource);
                }
            }
            listing.pageRead(request, total, resources.size());
        }
        ex.setProperty("totalResults", total);
        return fresh;
    }

    /**
     * A page's records for a split, each let go by the page once handed out: a page handler that does much per record
     * (a group's members) holds the page for seconds, and its records need not stay with it.
     */
    public Iterator<JsonNode> handOut(@Body List<JsonNode> page, Exchange ex) {
        ArrayDeque<JsonNode> left = new ArrayDeque<>(page);
        ex.getMessage().setBody(null);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !left.isEmpty();
            }

            @Override
            public JsonNode next() {
                JsonNode next = left.poll();
                if (next == null) {
                    throw new NoSuchElementException();
                }
                return next;
            }
        };
    }

    /** The re-check at the end of a pass: done, another pass ({@code morePasses}), or a failure that names the totals. */
    public void endPass(Exchange ex) {
        ScimListing listing = listing(ex);
        String path = ex.getProperty("seismicPath", String.class);
        SeismicCallListener listener = ex.getProperty(SeismicCallListener.PROPERTY, SeismicCallListener.class);
        if (listing.isGone() || listing.stable()) {
            ex.setProperty("morePasses", false);
            listing.finish();
            if (listing.pass() > 1 && listener != null) {
                listener.warning("the listing " + path + " changed while it was read: read " + listing.pass() + " times, "
                        + listing.addedByLaterPasses() + " record(s) found only by a later pass");
            }
            if (listing.duplicates() > 0 && listener != null) {
                listener.warning("the listing " + path + " repeated " + listing.duplicates() + " record(s) on later pages: each reported once");
            }
            return;
        }
        String seen = "totalResults " + listing.totals() + ", " + listing.seenThisPass() + " distinct records read";
        if (listing.lastPass()) {
            throw new SeismicApiException(200, "the listing " + path + " kept changing while it was read (" + listing.pass()
                    + " passes; last: " + seen + "): a result that could miss records is not published; the next sync tries again");
        }
        log.info("The listing {} changed while it was read ({}): reading it again, handing on only records not seen yet", path, seen);
        ex.setProperty("morePasses", true);
    }

    private static ScimListing listing(Exchange ex) {
        return ex.getProperty(LISTING, ScimListing.class);
    }
}
