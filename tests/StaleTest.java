import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import local.Env;
import local.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stale entries are marked at SessionStart, listed by status, named in the next prompt, with no git process. */
class StaleTest {

    static final String LEGACY = "Rates are rounded down in billing/LegacyRates.java until finance signs off";
    static final String TAX = "Tax rules live in billing/Tax.java, one class per country";
    static final String SETUP = "The setup steps are in docs/setup.md, not the wiki";
    static final String NO_PATH = "Use SSE instead of WebSockets behind the proxy";
    static final String NEVER_A_PATH = "The cache key mixes TCP/IP settings and read/write flags";

    @RegisterExtension
    final Team team = Team.create();
    final Path a = team.clone("a");

    StaleTest() throws Exception {
        for (String file : List.of("billing/LegacyRates.java", "billing/Tax.java", "docs/setup.md")) {
            Team.write(a.resolve(file), "// " + file + "\n");
        }
        team.git(a, "add", "-A");
        team.git(a, "commit", "-qm", "code");
        team.rebaseline();
        team.wyren(a, "init").expect(0);
        PullTest.addBullet(a, "Live workarounds", LEGACY + " [aaaaaaaa, turn 1]");
        PullTest.addBullet(a, "Decisions", TAX + " [aaaaaaaa, turn 2]");
        PullTest.addBullet(a, "Decisions", SETUP);
        PullTest.addBullet(a, "Decisions", NO_PATH + " [aaaaaaaa, turn 3]");
        PullTest.addBullet(a, "Decisions", NEVER_A_PATH + " [aaaaaaaa, turn 4]");
        team.wyren(a, "sync").expect(0);
    }

    String sessionStart(Path repo, Env env, String session) {
        return Hook.injected(Hook.run(team, "SessionStart", repo, env, Hook.input("SessionStart", repo, session, null)), "SessionStart");
    }

    static String line(String context, String bullet) {
        return context.lines().filter(l -> l.contains(bullet)).findFirst().orElseThrow(() -> new AssertionError(bullet + " not in\n" + context));
    }

    @Test
    void citedFilesDeletedRenamedOrMovedAreMarkedAndEntriesNamingNoPathNeverAre() throws Exception {
        Path outside = Files.createDirectories(team.dir.resolve("outside-lib"));
        Files.writeString(outside.resolve("Vendored.java"), "// not in the repository\n");
        Files.createSymbolicLink(a.resolve("linked"), outside);
        PullTest.addBullet(a, "Decisions", "The vendored client is linked/Vendored.java [aaaaaaaa, turn 5]");
        team.rebaseline();
        String first = sessionStart(a, team.env(), "s1");
        assertFalse(first.contains("possibly stale"), "everything exists:\n" + first);

        Files.delete(a.resolve("billing/LegacyRates.java"));
        Files.delete(outside.resolve("Vendored.java"));
        team.git(a, "mv", "billing/Tax.java", "billing/TaxRules.java");
        Files.createDirectories(a.resolve("guides"));
        team.git(a, "mv", "docs/setup.md", "guides/setup.md");
        team.rebaseline();
        String after = sessionStart(a, team.env(), "s2");
        assertTrue(line(after, LEGACY).endsWith("(possibly stale: billing/LegacyRates.java no longer exists)"), after);
        assertTrue(line(after, TAX).endsWith("(possibly stale: billing/Tax.java no longer exists)"), after);
        assertTrue(line(after, SETUP).endsWith("(possibly stale: docs/setup.md is gone; a file of that name is at guides/setup.md)"), after);
        assertFalse(line(after, NO_PATH).contains("possibly stale"), after);
        assertFalse(line(after, "linked/Vendored.java").contains("possibly stale"), "a path through a symlink is never checked:\n" + after);
        assertFalse(line(after, NEVER_A_PATH).contains("possibly stale"), "a/b that never existed is no path:\n" + after);
        assertFalse(PullTest.memory(a).contains("possibly stale"), "only the injection is marked");

        JsonNode status = Json.MAPPER.readTree(team.wyren(a, "status", "--json").expect(0).out());
        assertEquals(3, status.get("possibly_stale").size(), status.toString());
        assertTrue(status.get("possibly_stale").toString().contains("\"Decisions: " + TAX + " [aaaaaaaa, turn 2] (possibly stale: "),
                status.toString());

        Team.Result dry = team.wyren(a, "distill", "--dry-run", "--engine", "extractive", "--transcript",
                DistillerTest.DECISIONS.toString()).expect(0);
        assertTrue(dry.out().contains("=== POSSIBLY STALE (checked against the checkout) ==="), dry.out());
        assertTrue(dry.out().contains(LEGACY + " [aaaaaaaa, turn 1] -- possibly stale: billing/LegacyRates.java no longer exists"), dry.out());

        // A teammate who never saw the file does not mark it: it may never have been in their checkout.
        Path b = team.clone("b");
        team.wyren(b, "sync").expect(0);
        assertFalse(sessionStart(b, team.env(), "b1").contains("possibly stale: billing/Tax.java"));
        team.assertUserReposUntouched();
    }

    @Test
    void workaroundsNotConfirmedForThirtyDaysAreMarkedWithTheirAge() throws Exception {
        sessionStart(a, team.env(), "s1");
        Path records = a.resolve(".wyren/state/entries.json");
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(records.toFile());
        long longAgo = Instant.now().minus(40, ChronoUnit.DAYS).getEpochSecond();
        json.get("entries").forEach(e -> ((ObjectNode) e).put("since", longAgo));
        Files.writeString(records, Json.MAPPER.writeValueAsString(json));

        String context = sessionStart(a, team.env(), "s2");
        assertTrue(line(context, LEGACY).endsWith("(possibly stale: not confirmed by any session for 40 days)"), context);
        assertFalse(line(context, TAX).contains("possibly stale"), "decisions do not age:\n" + context);
        assertFalse(sessionStart(a, team.env().with("WYREN_STALE_DAYS", "60"), "s3").contains("possibly stale"));

        // A session confirms the workaround: the engine tags it anew, and the mark is gone.
        Path memory = a.resolve(".wyren/memory.md");
        Files.writeString(memory, Files.readString(memory).replace(LEGACY + " [aaaaaaaa, turn 1]", LEGACY + " [bbbbbbbb, turn 9]"));
        assertFalse(line(sessionStart(a, team.env(), "s4"), LEGACY).contains("possibly stale"));
    }

    @Test
    void theStaleCheckStartsNoGitProcess() throws Exception {
        Path bin = Files.createDirectories(team.dir.resolve("counting-git"));
        Path calls = team.dir.resolve("git-calls");
        String realGit = team.run(a, "", java.time.Duration.ofSeconds(10), "sh", "-c", "command -v git").out().strip();
        ForgetTest.script(bin.resolve("git"), "echo \"$*\" >> '" + calls + "'\nexec '" + realGit + "' \"$@\"");
        Env counting = team.env().with("PATH", bin + ":" + team.env().get("PATH").orElseThrow()).with("WYREN_SKIP_PULL", "1");
        sessionStart(a, counting, "warm");
        Files.delete(a.resolve("billing/LegacyRates.java"));
        team.rebaseline();
        // Wyren re-checks whether memory.md is tracked after the index changes (rebaseline ran git status).
        sessionStart(a, counting, "after-index-change");

        Files.deleteIfExists(calls);
        String marked = sessionStart(a, counting, "with-stale");
        assertTrue(marked.contains("possibly stale"), marked);
        long withStale = Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
        String withStaleCalls = Files.exists(calls) ? Files.readString(calls) : "";
        Path memory = a.resolve(".wyren/memory.md");
        Files.writeString(memory, "# Team memory\n\n## Decisions\n- " + NO_PATH + "\n");
        Files.deleteIfExists(calls);
        sessionStart(a, counting, "without");
        long without = Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
        assertEquals(without, withStale, "the stale check added git processes: " + withStaleCalls);
    }
}
