package dev.batonseismic.seismic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page queue of one listing: which pages a pass reads, whatever the server's page size and order of answers. */
class ScimListingTest {

    /** Reads a pass against a server holding {@code total} records that returns at most {@code serverCap} per page. */
    private static List<ScimListing.Page> pass(ScimListing listing, int total, int serverCap, boolean reverse) {
        List<ScimListing.Page> requested = new ArrayList<>();
        listing.startPass();
        List<ScimListing.Page> batch;
        while (!(batch = listing.nextPages(2)).isEmpty()) {
            List<ScimListing.Page> order = new ArrayList<>(batch);
            if (reverse) {
                java.util.Collections.reverse(order);
            }
            for (ScimListing.Page page : order) {
                requested.add(page);
                int from = page.startIndex();
                int read = Math.max(0, Math.min(Math.min(page.count(), serverCap), total - from + 1));
                for (int i = from; i < from + read; i++) {
                    listing.first("r" + i);
                }
                listing.pageRead(page, total, read);
            }
        }
        return requested;
    }

    @Test
    void theFirstPageAnnouncesAllOthersAtOnce() {
        ScimListing listing = new ScimListing(3, 100);
        List<ScimListing.Page> pages = pass(listing, 250, 100, false);
        assertThat(pages).containsExactly(new ScimListing.Page(1, 100), new ScimListing.Page(101, 100), new ScimListing.Page(201, 100));
        assertThat(listing.stable()).isTrue();
        assertThat(listing.emitted()).isEqualTo(250);
        listing.finish();
        assertThat(listing.emitted()).as("the count outlives the ids").isEqualTo(250);
    }

    @Test
    void anEmptyListingTakesOneCall() {
        ScimListing listing = new ScimListing(3, 100);
        assertThat(pass(listing, 0, 100, false)).containsExactly(new ScimListing.Page(1, 100));
        assertThat(listing.stable()).isTrue();
    }

    @Test
    void aServerThatCapsThePageSizeIsStillReadCompletely() {
        ScimListing listing = new ScimListing(3, 100);
        List<ScimListing.Page> pages = pass(listing, 230, 40, true);
        assertThat(listing.emitted()).isEqualTo(230);
        assertThat(listing.stable()).isTrue();
        assertThat(listing.duplicates()).isZero();
        // 3 pages of 100 asked for, each answered with at most 40; the rest of each is asked for until it is read
        assertThat(pages).contains(new ScimListing.Page(41, 60), new ScimListing.Page(81, 20), new ScimListing.Page(181, 20));
        assertThat(pages.stream().mapToInt(p -> Math.min(p.count(), 40)).sum()).isGreaterThanOrEqualTo(230);
    }

    @Test
    void aTotalThatGrowsMidPassQueuesTheNewPages() {
        ScimListing listing = new ScimListing(3, 100);
        listing.startPass();
        ScimListing.Page first = listing.nextPages(10).get(0);
        listing.pageRead(first, 150, 100);
        assertThat(listing.nextPages(10)).containsExactly(new ScimListing.Page(101, 100));
        listing.pageRead(new ScimListing.Page(101, 100), 320, 100); // 170 records arrived meanwhile
        assertThat(listing.nextPages(1)).containsExactly(new ScimListing.Page(201, 100));
        assertThat(listing.nextPages(10)).as("at most the batch, in order").containsExactly(new ScimListing.Page(301, 100));
        assertThat(listing.stable()).as("the totals changed: the pass is read again").isFalse();
    }
}
