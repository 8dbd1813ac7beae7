package dev.batonseismic.seismic;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One SCIM listing being paged (the users, the groups, or one group's members), across its passes: the pages still to
 * read, the ids handed on so far (each record goes on once, so a record that moved to a later page is not repeated)
 * and what the current pass saw, to re-check the totals at its end. The ids are kept compactly ({@link IdSet}): a
 * million users' GUIDs take about 32 MB.
 * <p>
 * A pass reads the first page alone; its {@code totalResults} announces every other page, and those are read in
 * parallel. A page shorter than asked for (and not the last) has its missing part queued as a page of its own, and a
 * page that announces a larger total queues the pages up to it, so the pass covers the whole listing whatever order
 * the pages come back in. Pages of one listing are read by several threads at once: every method is synchronized.
 */
public final class ScimListing {
    /** One page to read: {@code startIndex} and {@code count} of a SCIM list request. */
    public record Page(int startIndex, int count) {
    }

    private final int maxPasses;
    private final int pageSize;
    private IdSet emitted = new IdSet();
    /** How many records were handed on, once the listing is finished and its ids are let go. */
    private int emittedWhenFinished;
    private final List<Integer> totals = new ArrayList<>();
    /** Pages queued but not handed out yet, by startIndex. */
    private final TreeMap<Integer, Integer> queued = new TreeMap<>();
    /** The highest startIndex of a full-size page queued in this pass (the regular grid: 1, 1 + size, 1 + 2 size …). */
    private int lastGridPage;
    private IdSet passIds;
    private int pass;
    private int duplicates;
    private int addedByLaterPasses;
    private boolean gone;

    ScimListing(int maxPasses, int pageSize) {
        this.maxPasses = Math.max(1, maxPasses);
        this.pageSize = Math.max(1, pageSize);
    }

    synchronized void startPass() {
        pass++;
        totals.clear();
        queued.clear();
        passIds = pass == 1 ? emitted : new IdSet();
        queued.put(1, pageSize);
        lastGridPage = 1;
    }

    /**
     * The pages to read next, at most {@code max} (the first page alone, then those it announced, in order of
     * startIndex); empty when the pass is complete.
     */
    synchronized List<Page> nextPages(int max) {
        List<Page> pages = new ArrayList<>(Math.min(max, queued.size()));
        while (pages.size() < max && !queued.isEmpty()) {
            var first = queued.pollFirstEntry();
            pages.add(new Page(first.getKey(), first.getValue()));
        }
        return pages;
    }

    /**
     * Records what one page returned: its {@code totalResults}, and that it held {@code read} records from
     * {@code page.startIndex()}. Queues the rest of a short page and every page up to the total.
     */
    synchronized void pageRead(Page page, int total, int read) {
        if (totals.isEmpty() || totals.get(totals.size() - 1) != total) {
            totals.add(total);
        }
        if (gone) {
            return;
        }
        int end = page.startIndex() + read;
        if (read > 0 && read < page.count() && end <= total) {
            queued.putIfAbsent(end, page.count() - read);
        }
        for (int start = lastGridPage + pageSize; start <= total; start += pageSize) {
            queued.putIfAbsent(start, pageSize);
            lastGridPage = start;
        }
    }

    /** The listing's totalResults as a page reported it: the id set is sized for it once. */
    synchronized void expect(int total) {
        emitted.expect(total);
    }

    /** Notes a record read in this pass; true when it was not handed on before (the page handler gets it). */
    synchronized boolean first(String id) {
        if (pass == 1) {
            if (!emitted.add(id)) {
                duplicates++;
                return false;
            }
            return true;
        }
        passIds.add(id);
        if (emitted.add(id)) {
            addedByLaterPasses++;
            return true;
        }
        return false;
    }

    synchronized void gone() {
        gone = true;
        queued.clear();
    }

    /** The listed resource answered 404: it was deleted while (or before) it was read. */
    public synchronized boolean isGone() {
        return gone;
    }

    /** Records handed on so far. */
    public synchronized int emitted() {
        return emitted == null ? emittedWhenFinished : emitted.size();
    }

    /**
     * The listing is complete: its ids are let go, only their count stays. A group's member listing is held by the
     * group's exchange until the other groups of its page are done, long enough for the collector to move its ids to
     * the old generation if they were kept; a million users' ids are some 21 MB.
     */
    synchronized void finish() {
        emittedWhenFinished = emitted();
        emitted = null;
        passIds = null;
        queued.clear();
    }

    synchronized int pass() {
        return pass;
    }

    synchronized boolean lastPass() {
        return pass >= maxPasses;
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized int addedByLaterPasses() {
        return addedByLaterPasses;
    }

    synchronized List<Integer> totals() {
        return List.copyOf(totals);
    }

    synchronized int seenThisPass() {
        return passIds.size();
    }

    /**
     * Whether this pass saw a still tenant: every page reported the same totalResults, and the pass read exactly that
     * many distinct records. Otherwise records may have moved between pages (created or deleted while paging, or a page
     * shorter than it claimed) and one may have been skipped.
     */
    synchronized boolean stable() {
        int total = totals.isEmpty() ? 0 : totals.get(0);
        return totals.size() <= 1 && seenThisPass() == total;
    }
}
