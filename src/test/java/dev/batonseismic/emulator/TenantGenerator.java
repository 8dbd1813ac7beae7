package dev.batonseismic.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Builds a deterministic tenant from (users, seed): active and locked users of every userType (an unknown tier
 * "Enterprise" included), content and learning roles, groups of varied sizes (empty ones, and ones far above 100
 * members), and a role catalog with a role nobody holds and a deleted role.
 * User 0, when there is one, is the delegated integration admin.
 */
final class TenantGenerator {
    static final String UNKNOWN_TIER = "Enterprise";
    private static final Instant EPOCH = Instant.parse("2023-01-02T09:00:00Z");
    private static final String[] FIRST = {"Ava", "Ben", "Chloe", "Dan", "Emma", "Finn", "Grace", "Hugo", "Isla", "Jack",
        "Kara", "Liam", "Maya", "Noah", "Olive", "Paul", "Quinn", "Ruby", "Sam", "Tara", "Uma", "Vik", "Wren", "Yara", "Zoe"};
    private static final String[] LAST = {"Adams", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito",
        "Jones", "Kim", "Lopez", "Martin", "Nguyen", "Okafor", "Patel", "Rossi", "Smith", "Tanaka", "Weber"};
    private static final String[] TITLES = {"Account Executive", "Sales Engineer", "Marketing Manager", "Enablement Lead",
        "Content Strategist", "Customer Success Manager", "VP Sales", "Sales Development Rep"};
    private static final String[] DEPARTMENTS = {"Sales", "Marketing", "Enablement", "Customer Success", "Partners"};
    private static final String[] LANGUAGES = {"en_US", "en_GB", "de_DE", "fr_FR", "ja_JP"};
    private static final String[] ZONES = {"UTC", "America/New_York", "Europe/Berlin", "Asia/Tokyo"};
    private static final String[] GROUP_KINDS = {"Sales", "Marketing", "Enablement", "Partners", "Leadership", "Region",
        "Project", "Team"};

    /** Catalog role names with their share of users holding them; the last two are never held by generated users. */
    static final Map<String, Double> LEARNING_ROLES = learningRoles();
    static final String UNHELD_ROLE = "Analytics Viewer";
    static final String DELETED_ROLE = "Legacy Publisher";

    private static Map<String, Double> learningRoles() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("Learner", 0.35);
        m.put("Manager", 0.15);
        m.put("Creator", 0.07);
        m.put("Admin", 0.03);
        m.put("Sales Coach", 0.05);
        m.put("Content Curator", 0.03);
        m.put(DELETED_ROLE, 0.01);
        return m;
    }

    record Tenant(List<EmulatorUser> users, List<EmulatorGroup> groups, List<CatalogRole> catalog) {}

    static Tenant generate(int userCount, long seed, String delegatedUserId, String tenant) {
        Random rnd = new Random(seed);
        List<CatalogRole> catalog = catalog(rnd);
        List<EmulatorUser> users = new ArrayList<>(userCount);
        for (int i = 0; i < userCount; i++) {
            users.add(i == 0 ? delegatedAdmin(delegatedUserId, tenant) : user(i, rnd, tenant));
        }
        return new Tenant(users, groups(users, rnd), catalog);
    }

    private static List<CatalogRole> catalog(Random rnd) {
        List<CatalogRole> roles = new ArrayList<>();
        List<String> names = new ArrayList<>(LEARNING_ROLES.keySet());
        names.add(names.size() - 1, UNHELD_ROLE);
        for (String name : names) {
            Instant created = EPOCH.minus(Duration.ofDays(400 + rnd.nextInt(300)));
            roles.add(new CatalogRole(uuid(rnd), name, name + " platform role", created,
                    created.plus(Duration.ofDays(rnd.nextInt(200))), name.equals(DELETED_ROLE)));
        }
        return roles;
    }

    private static EmulatorUser delegatedAdmin(String id, String tenant) {
        EmulatorUser u = new EmulatorUser(id, EPOCH.minus(Duration.ofDays(800)));
        u.userName = "integration.admin@" + tenant + ".example.com";
        u.givenName = "Integration";
        u.familyName = "Admin";
        u.title = "System Administrator";
        u.userType = "Business";
        u.roles = List.of("Business", "Admin");
        u.emails = List.of(new EmulatorUser.Email(u.userName, "work", true));
        u.preferredLanguage = "en_US";
        u.timezone = "UTC";
        u.department = "IT";
        return u;
    }

    private static EmulatorUser user(int i, Random rnd, String tenant) {
        Instant created = EPOCH.plus(Duration.ofMinutes(rnd.nextInt(700 * 24 * 60)));
        EmulatorUser u = new EmulatorUser(uuid(rnd), created);
        u.lastModified = created.plus(Duration.ofMinutes(rnd.nextInt(90 * 24 * 60)));
        u.givenName = FIRST[rnd.nextInt(FIRST.length)];
        u.familyName = LAST[rnd.nextInt(LAST.length)];
        u.userName = (u.givenName + "." + u.familyName + i + "@" + tenant + ".example.com").toLowerCase();
        u.externalId = "E" + (100000 + i);
        u.title = TITLES[rnd.nextInt(TITLES.length)];
        u.department = DEPARTMENTS[rnd.nextInt(DEPARTMENTS.length)];
        u.costCenter = "CC-" + (100 + rnd.nextInt(40));
        u.preferredLanguage = LANGUAGES[rnd.nextInt(LANGUAGES.length)];
        u.timezone = ZONES[rnd.nextInt(ZONES.length)];
        u.active = rnd.nextDouble() >= 0.10;
        if (!u.active) {
            u.deactivatedTime = u.lastModified;
        }
        double t = rnd.nextDouble();
        u.userType = t < 0.50 ? "Business" : t < 0.75 ? "Premium" : t < 0.85 ? "Partner" : t < 0.99 ? "NonSeismic" : UNKNOWN_TIER;
        List<String> roles = new ArrayList<>(2);
        if (TenantStore.CONTENT_TIERS.contains(u.userType)) {
            roles.add(u.userType);
        }
        double r = rnd.nextDouble();
        double acc = 0;
        for (Map.Entry<String, Double> role : LEARNING_ROLES.entrySet()) {
            acc += role.getValue();
            if (r < acc) {
                roles.add(role.getKey());
                break;
            }
        }
        u.roles = List.copyOf(roles);
        List<EmulatorUser.Email> emails = new ArrayList<>(2);
        emails.add(new EmulatorUser.Email(u.userName, "work", true));
        if (rnd.nextDouble() < 0.15) {
            emails.add(new EmulatorUser.Email((u.givenName + "." + u.familyName + i + "@home.example.net").toLowerCase(), "other", false));
        }
        u.emails = List.copyOf(emails);
        u.customProperties = Map.of("Country", i % 3 == 0 ? "DE" : "US", "Employee_ID", String.valueOf(100000 + i));
        return u;
    }

    private static List<EmulatorGroup> groups(List<EmulatorUser> users, Random rnd) {
        int n = users.size();
        int groupCount = n == 0 ? 2 : Math.max(4, n / 25);
        List<EmulatorGroup> groups = new ArrayList<>(groupCount);
        for (int gi = 0; gi < groupCount; gi++) {
            String name = gi == 0 ? "All Staff" : GROUP_KINDS[gi % GROUP_KINDS.length] + " " + gi;
            EmulatorGroup g = new EmulatorGroup(uuid(rnd), name, EPOCH.plus(Duration.ofDays(rnd.nextInt(500))));
            g.externalId = "G" + (1000 + gi);
            int size;
            if (gi == 0) {
                size = Math.min(n, 150 + n / 10);
            } else if (gi % 10 == 1) {
                size = 0;
            } else {
                double s = rnd.nextDouble();
                size = s < 0.65 ? 1 + rnd.nextInt(30) : s < 0.93 ? 31 + rnd.nextInt(120) : 151 + rnd.nextInt(450);
                size = Math.min(size, n);
            }
            if (size > 0) {
                rnd.ints(0, n).distinct().limit(size).forEach(ui -> g.memberIds.add(users.get(ui).id));
            }
            groups.add(g);
        }
        return groups;
    }

    static String uuid(Random rnd) {
        long msb = (rnd.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
