package dev.batonseismic.provisioning;

import dev.batonseismic.emulator.SeismicEmulator;

/** Lets tests outside this package pick a (user, group) pair that is not yet a membership. */
public final class ProvisioningProbe {
    private ProvisioningProbe() {}

    public static String[] userOutsideSomeGroup(SeismicEmulator emulator) {
        return ProvisioningTestSupport.userOutsideSomeGroup();
    }
}
