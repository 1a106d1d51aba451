import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoTest {

    @Test
    void demoRunsTheSessionLoopThroughRealHooksAndCleansUp() throws Exception {
        try (Team team = Team.create()) {
            Team.Result r = team.wyren(team.dir, "demo").expect(0);
            String out = r.out();
            assertTrue(out.contains("distiller: session 5f2c9a1e: distilled"), r.toString());
            String bobStart = out.substring(out.indexOf("SessionStart hook: exit 0"), out.indexOf("== Alice's session is still running"));
            assertTrue(bobStart.contains("SQLite for the cart store") && bobStart.contains("WebSockets won't work"), r.toString());
            String aliceUpdate = out.substring(out.indexOf("UserPromptSubmit hook: exit 0"));
            assertTrue(aliceUpdate.contains("### New in Decisions\n  | - Postgres for the cart store"), r.toString());
            assertTrue(aliceUpdate.contains("### Removed from Decisions"), r.toString());
            assertTrue(out.contains("git status --short = ''"), r.toString());
            String folder = out.lines().findFirst().orElseThrow().replace("Demo folder: ", "").replace(" (deleted at the end)", "");
            assertTrue(folder.contains("wyren-demo-"), r.toString());
            assertFalse(Files.exists(Path.of(folder)), "demo folder left behind: " + folder);
        }
    }
}
