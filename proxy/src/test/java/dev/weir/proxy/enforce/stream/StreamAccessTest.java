package dev.weir.proxy.enforce.stream;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamAccessTest {
    private static final List<String> KEYS = List.of("pk", "sk");

    @Test
    void aKeyAttributeNotInClearRefuses() {
        String why = StreamAccess.recordsRefusal(StreamViews.view("hiddenkey"), KEYS, ViewType.NEW_AND_OLD_IMAGES,
                UpstreamNumbers.COUNT_FREE).orElseThrow();
        assertTrue(why.contains("'sk'"), why);
        assertTrue(StreamAccess.recordsRefusal(StreamViews.view("reader"), KEYS, ViewType.NEW_AND_OLD_IMAGES,
                UpstreamNumbers.COUNT_FREE).isEmpty());
    }

    @Test
    void keysOnlyUnderARowFilterRefuses() {
        assertTrue(StreamAccess.recordsRefusal(StreamViews.view("reader"), KEYS, ViewType.KEYS_ONLY, UpstreamNumbers.COUNT_FREE)
                .orElseThrow().contains("KEYS_ONLY"));
        assertTrue(StreamAccess.recordsRefusal(StreamViews.view("fieldsonly"), KEYS, ViewType.KEYS_ONLY,
                UpstreamNumbers.COUNT_FREE).isEmpty(), "no row filter: KEYS_ONLY records are read normally");
    }

    @Test
    void aForeignUpstreamRefusesRestrictedViewsUnlessAccepted() {
        assertTrue(StreamAccess.recordsRefusal(StreamViews.view("fieldsonly"), KEYS, ViewType.NEW_IMAGE, UpstreamNumbers.REFUSED)
                .orElseThrow().contains("streams_reveal_counts"));
        assertTrue(StreamAccess.recordsRefusal(StreamViews.view("fieldsonly"), KEYS, ViewType.NEW_IMAGE, UpstreamNumbers.ACCEPTED)
                .isEmpty());
        assertTrue(StreamAccess.recordsRefusal(StreamViews.view("admin"), KEYS, ViewType.KEYS_ONLY, UpstreamNumbers.REFUSED)
                .isEmpty(), "an unrestricted view reveals nothing it could not read");
    }
}
