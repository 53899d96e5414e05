package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;

import java.nio.file.Path;

/** The same assertions with dynalite (npm) as the upstream: weir fronts any DynamoDB-compatible engine. */
class DynaliteEndToEndTest extends WalkingSkeletonEndToEndTest {
    private DynaliteProcess dynalite;

    @Override
    ApplianceProcess startWeir(Path home) throws Exception {
        if (dynalite == null) dynalite = DynaliteProcess.start();
        return ApplianceProcess.startInFrontOf(home, dynalite.endpoint());
    }

    @AfterAll
    void stopDynalite() throws Exception {
        if (dynalite != null) dynalite.close();
    }
}
