package dev.weir.appliance;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** weir.jar turns Netty's leak detector off unless its level is set (issue 16). */
class MainTest {
    @Test
    void leakDetectionIsOffUnlessALevelIsSet() {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        String property = System.getProperty(Main.LEAK_DETECTION);
        try {
            System.clearProperty(Main.LEAK_DETECTION);
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
            Main.leakDetectionOffUnlessAsked();
            assertEquals(ResourceLeakDetector.Level.DISABLED, ResourceLeakDetector.getLevel());

            System.setProperty(Main.LEAK_DETECTION, "paranoid");
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
            Main.leakDetectionOffUnlessAsked();
            assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(), "a level asked for is kept");
        } finally {
            if (property == null) System.clearProperty(Main.LEAK_DETECTION);
            else System.setProperty(Main.LEAK_DETECTION, property);
            ResourceLeakDetector.setLevel(before);
        }
    }
}
