package dev.weir.appliance;

import java.nio.file.Path;

/** The walking skeleton in front of the bundled store, in the same process as the firewall. */
class BundledStoreEndToEndTest extends WalkingSkeletonEndToEndTest {
    @Override
    ApplianceProcess startWeir(Path home) throws Exception {
        return ApplianceProcess.start(home);
    }
}
