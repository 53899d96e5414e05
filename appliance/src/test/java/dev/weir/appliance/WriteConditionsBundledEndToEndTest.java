package dev.weir.appliance;

import java.nio.file.Path;

/** Conditions on writes, with the bundled store behind weir. */
class WriteConditionsBundledEndToEndTest extends WriteConditionsEndToEndTest {
    @Override
    ApplianceProcess startWeir(Path home, Path policies) throws Exception {
        return ApplianceProcess.startWith(home, policies, ApplianceProcess.CONF.resolve("principals.yaml"));
    }
}
