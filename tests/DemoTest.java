import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoTest {

    @Test
    void demoShowsBobsChangeInAlicesMemoryAndCleansUp() throws Exception {
        try (Team team = Team.create()) {
            Team.Result r = team.wyren(team.dir, "demo");
            r.expect(0);
            String aliceView = r.out().substring(r.out().lastIndexOf("--- alice/.wyren/memory.md ---"));
            assertTrue(aliceView.contains("Postgres for the cart store"), r.toString());
            assertFalse(aliceView.contains("SQLite for the cart store, in data/cart.db"), r.toString());
            assertTrue(r.out().contains("git status --short: ''"), r.toString());
            String folder = r.out().lines().findFirst().orElseThrow().replace("Demo folder: ", "").replace(" (deleted at the end)", "");
            assertTrue(folder.contains("wyren-demo-"), r.toString());
            assertFalse(Files.exists(Path.of(folder)), "demo folder left behind: " + folder);
        }
    }
}
