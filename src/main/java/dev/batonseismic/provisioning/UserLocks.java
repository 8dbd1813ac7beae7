package dev.batonseismic.provisioning;

import org.springframework.stereotype.Component;

/**
 * The locks that serialize changes to one user in this instance (a role change reads the user's roles and writes them
 * all back; a deletion must not interleave with it), striped over 256 objects.
 */
@Component
public class UserLocks {
    private final Object[] locks = new Object[256];

    public UserLocks() {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** The lock of a user's changes. */
    public Object of(String userId) {
        return locks[Math.floorMod(userId.hashCode(), locks.length)];
    }
}
