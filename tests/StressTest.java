import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StressTest {

    @Test
    void concurrentDistillersOnThreeClonesLoseNothingAndNeverMerge() throws Exception {
        Stress.Report report = Stress.run(3, Duration.ofSeconds(10), 57);
        System.out.println("  stress: " + report);
        assertEquals(0, report.failures(), report.toString());
        assertTrue(report.distillations() >= 6, report.toString());
        assertEquals(List.of(), report.lost(), "bullets neither in memory nor logged as dropped: " + report);
        assertEquals(0, report.mergeCommits(), report.toString());
        assertTrue(report.withinCap(), report.toString());
        assertTrue(report.droppedByCap() > 0, "the seeded memory reaches the hard cap: " + report);
    }
}
