package dev.batonseismic.seismic;

import java.util.ArrayList;
import java.util.List;

/**
 * One SCIM listing being paged (the users, the groups, or one group's members), across its passes: the ids handed on
 * so far (each record goes on once, so a record that moved to a later page is not repeated) and what the current pass
 * saw, to re-check the totals at its end. A listing is read by one thread at a time. The ids are kept compactly
 * ({@link IdSet}): a million users' GUIDs take about 32 MB.
 */
public final class ScimListing {
    private final int maxPasses;
    private final IdSet emitted = new IdSet();
    private final List<Integer> totals = new ArrayList<>();
    private IdSet passIds;
    private int pass;
    private int duplicates;
    private int addedByLaterPasses;
    private boolean gone;

    ScimListing(int maxPasses) {
        this.maxPasses = Math.max(1, maxPasses);
    }

    void startPass() {
        pass++;
        totals.clear();
        passIds = pass == 1 ? emitted : new IdSet();
    }

    /** Records one page's totalResults. */
    void total(int total) {
        if (totals.isEmpty() || totals.get(totals.size() - 1) != total) {
            totals.add(total);
        }
    }

    /** Notes a record read in this pass; true when it was not handed on before (the page handler gets it). */
    boolean first(String id) {
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

    void gone() {
        gone = true;
    }

    /** The listed resource answered 404: it was deleted while (or before) it was read. */
    public boolean isGone() {
        return gone;
    }

    /** Records handed on so far. */
    public int emitted() {
        return emitted.size();
    }

    int pass() {
        return pass;
    }

    boolean lastPass() {
        return pass >= maxPasses;
    }

    int duplicates() {
        return duplicates;
    }

    int addedByLaterPasses() {
        return addedByLaterPasses;
    }

    List<Integer> totals() {
        return List.copyOf(totals);
    }

    int seenThisPass() {
        return passIds.size();
    }

    /**
     * Whether this pass saw a still tenant: every page reported the same totalResults, and the pass read exactly that
     * many distinct records. Otherwise records may have moved between pages (created or deleted while paging, or a page
     * shorter than it claimed) and one may have been skipped.
     */
    boolean stable() {
        int total = totals.isEmpty() ? 0 : totals.get(0);
        return totals.size() <= 1 && seenThisPass() == total;
    }
}
