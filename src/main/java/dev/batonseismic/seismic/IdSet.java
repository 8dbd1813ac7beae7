package dev.batonseismic.seismic;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A set of record ids that stays small for large tenants: an id in the canonical GUID form Seismic uses is kept as
 * its 128 bits in an open-addressing table (16 bytes a slot, about 32 MB for a million ids, against some 120 MB as
 * strings in a {@code HashSet}, or about 21 MB when the expected count is given up front); any other id is kept as its
 * string. Exact either way: no id is ever taken for another.
 */
final class IdSet {
    private static final int MIN_SLOTS = 64;

    /** Slot i holds (msb, lsb) at [2i, 2i+1]; (0, 0) marks an empty slot, and the all-zero id is kept apart. */
    private long[] slots = new long[2 * MIN_SLOTS];
    private int guids;
    private boolean zeroGuid;
    private final Set<String> others = new HashSet<>();

    /** Adds the id; true when it was not in the set yet. */
    boolean add(String id) {
        UUID guid = canonicalGuid(id);
        if (guid == null) {
            return others.add(id);
        }
        long msb = guid.getMostSignificantBits();
        long lsb = guid.getLeastSignificantBits();
        if (msb == 0 && lsb == 0) {
            boolean added = !zeroGuid;
            zeroGuid = true;
            return added;
        }
        if ((guids + 1) * 4L > slotCount() * 3L) {
            resize(slotCount() * 2);
        }
        if (!insert(slots, msb, lsb)) {
            return false;
        }
        guids++;
        return true;
    }

    /**
     * Makes room for {@code expected} ids in all (a listing's totalResults, known from its first page), so the table
     * is allocated once at about the size it needs instead of doubling its way there: doubling leaves up to twice
     * the room needed, and holds the old table and the new one at the same time while it copies.
     */
    void expect(int expected) {
        long wanted = Math.max(MIN_SLOTS, (expected * 4L + 2) / 3 + 1);
        if (wanted > slotCount() && wanted < Integer.MAX_VALUE / 2) {
            resize((int) wanted);
        }
    }

    int size() {
        return guids + (zeroGuid ? 1 : 0) + others.size();
    }

    private int slotCount() {
        return slots.length / 2;
    }

    /** Inserts into the table (any number of slots); false when the id is there already. */
    private static boolean insert(long[] table, long msb, long lsb) {
        int n = table.length / 2;
        int i = (int) (((mix(msb, lsb) & 0xFFFFFFFFL) * n) >>> 32);
        while (table[2 * i] != 0 || table[2 * i + 1] != 0) {
            if (table[2 * i] == msb && table[2 * i + 1] == lsb) {
                return false;
            }
            i = i + 1 == n ? 0 : i + 1;
        }
        table[2 * i] = msb;
        table[2 * i + 1] = lsb;
        return true;
    }

    private void resize(int slotCount) {
        long[] bigger = new long[2 * slotCount];
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != 0 || slots[i + 1] != 0) {
                insert(bigger, slots[i], slots[i + 1]);
            }
        }
        slots = bigger;
    }

    private static int mix(long msb, long lsb) {
        long h = (msb ^ Long.rotateLeft(lsb, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** The id as a GUID when it is written exactly as {@link UUID#toString()} writes one (36 characters, lower case). */
    private static UUID canonicalGuid(String id) {
        if (id.length() != 36 || id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(18) != '-' || id.charAt(23) != '-') {
            return null;
        }
        try {
            UUID guid = UUID.fromString(id);
            return guid.toString().equals(id) ? guid : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
