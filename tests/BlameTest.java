import com.fasterxml.jackson.databind.JsonNode;
import local.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wyren blame}: who wrote each entry, from the memory branch's own history. */
class BlameTest {

    @RegisterExtension
    final Team team = Team.create();


    /** Bullet text (up to its tag) -> the blame entry. */
    Map<String, JsonNode> blame(Path repo) throws Exception {
        JsonNode json = Json.MAPPER.readTree(team.wyren(repo, "blame", "--json").expect(0).out());
        Map<String, JsonNode> byBullet = new HashMap<>();
        json.forEach(entry -> byBullet.put(entry.get("bullet").asText().replaceAll(" \\[.*$", ""), entry));
        return byBullet;
    }

    @Test
    void eachEntryIsBlamedOnTheTeammateWhoseMachineWroteItAcrossMergesAndHandEdits() throws Exception {
        Path a = team.clone("a");
        team.wyrenWith(team.as("Alice"), a, "init").expect(0);
        PullTest.addBullet(a, "Decisions", "SQLite for the cart store [aaaaaaaa, turn 1]");
        team.wyrenWith(team.as("Alice"), a, "sync").expect(0);
        Path b = team.clone("b");
        team.wyrenWith(team.as("Bob"), b, "sync").expect(0);
        PullTest.addBullet(b, "Decisions", "Kafka for the order events [bbbbbbbb, turn 4]");
        team.wyrenWith(team.as("Bob"), b, "sync").expect(0);
        Path c = team.clone("c");
        team.wyrenWith(team.as("Carol"), c, "sync").expect(0);
        // Carol commits while offline; Alice publishes meanwhile; Carol's commit is then merged onto Alice's.
        String url = team.git(c, "remote", "get-url", "origin").strip();
        team.git(c, "remote", "set-url", "origin", team.dir.resolve("offline.git").toString());
        PullTest.addBullet(c, "Known broken", "The PDF export times out on 50+ pages [cccccccc, turn 2]");
        team.wyrenWith(team.as("Carol"), c, "sync");
        team.git(c, "remote", "set-url", "origin", url);
        team.wyrenWith(team.as("Alice"), a, "sync").expect(0);
        PullTest.addBullet(a, "Rejected", "Redis, the failover story was too weak [aaaaaaaa, turn 9]");
        team.wyrenWith(team.as("Alice"), a, "sync").expect(0);
        team.wyrenWith(team.as("Carol"), c, "sync").expect(0);
        assertTrue(Team.read(c.resolve(".wyren/log")).contains("merged local memory"), "Carol's commit was rebuilt on Alice's");
        assertEquals("", team.git(team.remote, "rev-list", "--merges", "wyren/memory").strip(), "the memory history stays linear");
        // Bob writes a note by hand, with no session tag.
        team.wyrenWith(team.as("Bob"), b, "sync").expect(0);
        PullTest.addBullet(b, "Workarounds", "Restart the worker after a schema change");
        team.wyrenWith(team.as("Bob"), b, "sync").expect(0);
        team.wyrenWith(team.as("Carol"), c, "sync").expect(0);
        Team.UserRepo before = team.userRepo(c);

        Map<String, JsonNode> blame = blame(c);
        assertEquals(5, blame.size(), blame.toString());
        assertEquals("Alice", blame.get("SQLite for the cart store").get("author").asText());
        assertEquals("alice@example.com", blame.get("SQLite for the cart store").get("email").asText());
        assertEquals("aaaaaaaa", blame.get("SQLite for the cart store").get("session").asText());
        assertEquals("1", blame.get("SQLite for the cart store").get("turn").asText());
        assertEquals("Bob", blame.get("Kafka for the order events").get("author").asText());
        assertEquals("Alice", blame.get("Redis, the failover story was too weak").get("author").asText());
        assertEquals("Carol", blame.get("The PDF export times out on 50+ pages").get("author").asText());
        JsonNode byHand = blame.get("Restart the worker after a schema change");
        assertEquals("Bob", byHand.get("author").asText());
        assertTrue(byHand.get("session").isNull(), byHand.toString());
        String kafkaCommit = blame.get("Kafka for the order events").get("version").asText();
        assertTrue(team.git(team.remote, "log", "-1", "--format=%an", kafkaCommit).strip().equals("Bob"), "the version is Bob's commit");
        for (JsonNode entry : blame.values()) {
            for (String key : new String[] {"section", "bullet", "author", "email", "time", "version", "session", "turn"}) {
                assertTrue(entry.has(key), key + " missing: " + entry);
            }
        }

        String text = team.wyren(c, "blame").expect(0).out();
        assertTrue(text.contains("## Decisions\n- Kafka for the order events [bbbbbbbb, turn 4]\n  Bob <bob@example.com>, "), text);
        assertTrue(text.contains("- SQLite for the cart store [aaaaaaaa, turn 1]\n  Alice <alice@example.com>, "), text);
        assertTrue(text.contains(", session cccccccc turn 2\n"), text);
        assertTrue(text.contains("no session tag (written by hand)"), text);
        team.assertUntouched(before, c);
    }

    @Test
    void aHandEditNotYetPublishedIsSaidToBeOnlyOnThisMachine() throws Exception {
        Path a = team.clone("a");
        team.wyrenWith(team.as("Alice"), a, "init").expect(0);
        PullTest.addBullet(a, "Decisions", "Not pushed yet [aaaaaaaa, turn 3]");
        JsonNode entry = blame(a).get("Not pushed yet");
        assertTrue(entry.get("author").isNull(), entry.toString());
        assertTrue(team.wyren(a, "blame").expect(0).out().contains("not published yet"));
    }

    @Test
    void aFreshMemoryHasNothingToBlameAndALegacyImportIsBlamedOnTheImport() throws Exception {
        Path fresh = team.clone("fresh");
        team.wyrenWith(team.as("Alice"), fresh, "init").expect(0);
        assertEquals("The team memory has no entries yet.\n", team.wyren(fresh, "blame").expect(0).out());
        assertEquals("[]\n", team.wyren(fresh, "blame", "--json").expect(0).out());

        Team legacy = Team.create();
        try {
            Path l = legacy.clone("l");
            Team.write(l.resolve(".wyren/memory.md"), "# Memory\n\n## Decisions\n- Legacy decision [11111111, turn 1]\n");
            legacy.git(l, "add", ".wyren/memory.md");
            legacy.git(l, "commit", "-q", "-m", "legacy wyren memory");
            legacy.wyrenWith(legacy.env().with("GIT_AUTHOR_NAME", "Dana").with("GIT_COMMITTER_NAME", "Dana"), l, "init").expect(0);
            String text = legacy.wyren(l, "blame").expect(0).out();
            assertTrue(text.contains("- Legacy decision [11111111, turn 1]\n  Dana <"), text);
        } finally {
            legacy.close();
        }
    }

    @Test
    void blameBeforeInitSaysWhatToDo() {
        Path a = team.clone("a");
        Team.Result r = team.wyren(a, "blame").expect(1);
        assertTrue(r.err().contains("Run 'wyren init'"), r.toString());
    }
}
