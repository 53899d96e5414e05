package dev.weir.appliance;

import org.junit.jupiter.api.AfterAll;

import java.nio.file.Files;
import java.nio.file.Path;

/** The same conditions with dynalite (npm) behind weir: the generated expressions parse and hold on another engine. */
class WriteConditionsDynaliteEndToEndTest extends WriteConditionsEndToEndTest {
    private DynaliteProcess dynalite;

    @Override
    ApplianceProcess startWeir(Path home, Path policies) throws Exception {
        dynalite = DynaliteProcess.start();
        int proxyPort = ApplianceProcess.freePort();
        Path config = home.resolve("weir-test.yaml");
        Files.writeString(config, """
                store: {enabled: false}
                proxy: {host: 127.0.0.1, port: %d}
                upstream: {endpoint: '%s', region: us-east-1, access_key_id: WEIRUPSTREAM00000001, secret_access_key: weir-upstream-sample-secret}
                policies: %s
                principals: %s
                masking: {hash_key_id: k1}
                audit: {file: audit/audit.jsonl}
                """.formatted(proxyPort, dynalite.endpoint(), policies, ApplianceProcess.CONF.resolve("principals.yaml")));
        return ApplianceProcess.start(home, config, proxyPort, -1);
    }

    @Override
    boolean recentApi() {
        return false;
    }

    @AfterAll
    void stopDynalite() throws Exception {
        if (dynalite != null) dynalite.close();
    }
}
