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
    void aRestrictedViewReadsOnlyStreamsWithBothImages() {
        for (String role : new String[] {"reader", "fieldsonly", "rowsonly"}) {
            for (ViewType t : new ViewType[] {ViewType.KEYS_ONLY, ViewType.NEW_IMAGE, ViewType.OLD_IMAGE}) {
                assertTrue(StreamAccess.recordsRefusal(StreamViews.view(role), KEYS, t, UpstreamNumbers.COUNT_FREE)
                        .orElseThrow().contains(t.name()), role + " " + t);
            }
            assertTrue(StreamAccess.recordsRefusal(StreamViews.view(role), KEYS, ViewType.NEW_AND_OLD_IMAGES,
                    UpstreamNumbers.COUNT_FREE).isEmpty(), role);
        }
        for (ViewType t : ViewType.values()) {
            assertTrue(StreamAccess.recordsRefusal(StreamViews.view("admin"), KEYS, t, UpstreamNumbers.COUNT_FREE).isEmpty(),
                    "an unrestricted view reads every stream");
        }
    }

    @Test
    void aForeignUpstreamRefusesRestrictedViewsUnlessAccepted() {
        assertTrue(StreamAccess.recordsRefusal(StreamViews.view("fieldsonly"), KEYS, ViewType.NEW_AND_OLD_IMAGES,
                UpstreamNumbers.REFUSED).orElseThrow().contains("streams_reveal_counts"));
        assertTrue(StreamAccess.recordsRefusal(StreamViews.view("fieldsonly"), KEYS, ViewType.NEW_AND_OLD_IMAGES,
                UpstreamNumbers.ACCEPTED).isEmpty());
        assertTrue(StreamAccess.recordsRefusal(StreamViews.view("admin"), KEYS, ViewType.KEYS_ONLY, UpstreamNumbers.REFUSED)
                .isEmpty(), "an unrestricted view reveals nothing it could not read");
    }
}
