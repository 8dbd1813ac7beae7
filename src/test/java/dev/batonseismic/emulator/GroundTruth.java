package dev.batonseismic.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the emulated tenant holds, for exact assertions: counts, and who holds which membership, role and license.
 * Locked (inactive) users keep their access here too.
 *
 * @param users          user id → the user's SCIM view (userName, active, emails, userType, roles …)
 * @param memberships    group id → member user ids
 * @param groupNames     group id → displayName
 * @param roleHolders    non-deleted catalog role id → user ids whose SCIM roles name it
 * @param roleNames      non-deleted catalog role id → name
 * @param licenseHolders userType (content tier or unknown tier; never NonSeismic) → user ids
 */
public record GroundTruth(Map<String, Long> counts, Map<String, UserView> users, Map<String, List<String>> memberships,
                          Map<String, String> groupNames, Map<String, List<String>> roleHolders,
                          Map<String, String> roleNames, Map<String, List<String>> licenseHolders) {

    /** A user as the connector should report it. */
    public record UserView(String id, String userName, boolean active, List<String> emails, String primaryEmail,
                           String givenName, String familyName, String title, String userType, String department,
                           List<String> roles) {}

    static GroundTruth of(TenantStore store) {
        Map<String, UserView> users = new LinkedHashMap<>();
        Map<String, List<String>> memberships = new LinkedHashMap<>();
        Map<String, String> groupNames = new LinkedHashMap<>();
        Map<String, List<String>> roleHolders = new LinkedHashMap<>();
        Map<String, String> roleNames = new LinkedHashMap<>();
        Map<String, List<String>> licenseHolders = new TreeMap<>();
        Map<String, String> roleIdByName = new LinkedHashMap<>();
        for (CatalogRole r : store.catalog()) {
            if (!r.isDeleted()) {
                roleIdByName.put(r.name(), r.id());
                roleNames.put(r.id(), r.name());
                roleHolders.put(r.id(), new ArrayList<>());
            }
        }
        long[] counts = new long[4]; // active, inactive, memberships, roleGrants
        store.scan(all -> all.forEach(u -> {
            users.put(u.id, new UserView(u.id, u.userName, u.active, u.emails.stream().map(EmulatorUser.Email::value).toList(),
                    u.emails.stream().filter(EmulatorUser.Email::primary).map(EmulatorUser.Email::value).findFirst().orElse(null),
                    u.givenName, u.familyName, u.title, u.userType, u.department, List.copyOf(u.roles)));
            counts[u.active ? 0 : 1]++;
            for (String role : u.roles) {
                String rid = roleIdByName.get(role);
                if (rid != null) {
                    roleHolders.get(rid).add(u.id);
                    counts[3]++;
                }
            }
            if (u.userType != null && !u.userType.equals("NonSeismic")) {
                licenseHolders.computeIfAbsent(u.userType, k -> new ArrayList<>()).add(u.id);
            }
        }), all -> all.forEach(g -> {
            memberships.put(g.id, List.copyOf(g.memberIds));
            groupNames.put(g.id, g.displayName);
            counts[2] += g.memberIds.size();
        }));
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("users", (long) users.size());
        c.put("activeUsers", counts[0]);
        c.put("inactiveUsers", counts[1]);
        c.put("groups", (long) memberships.size());
        c.put("memberships", counts[2]);
        c.put("catalogRoles", (long) roleNames.size());
        c.put("roleGrants", counts[3]);
        c.put("licenseTiers", (long) licenseHolders.size());
        c.put("licenseGrants", licenseHolders.values().stream().mapToLong(List::size).sum());
        c.put("nonSeismicUsers", users.values().stream().filter(u -> "NonSeismic".equals(u.userType())).count());
        return new GroundTruth(c, users, memberships, groupNames, roleHolders, roleNames, licenseHolders);
    }

    /** SCIM calls a minimal full sync needs (README, What a sync does): users, groups and each group's member pages. */
    public long minimalScimCalls() {
        long calls = pages(users.size()) + pages(memberships.size());
        for (List<String> members : memberships.values()) {
            calls += pages(members.size());
        }
        return calls;
    }

    private static long pages(long n) {
        return Math.max(1, (n + 99) / 100);
    }
}
