import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's exit criterion: a teammate's next session starts warm with what another's session decided. */
class WarmStartTest {

    @Test
    void twoMachineWarmStartPassesFiveConsecutiveTrials() throws Exception {
        for (int trial = 1; trial <= 5; trial++) {
            try (Team team = Team.create()) {
                team.setEnv("WYREN_DISTILLER", "extractive");
                Path a = team.clone("alice");
                team.wyren(a, "init").expect(0);
                String session = String.format("%08d-aaaa-4bbb-8ccc-000000000000", trial);
                Path transcript = team.dir.resolve(session + ".jsonl");
                Files.writeString(transcript, Files.readString(DistillerTest.DECISIONS)
                        .replace(DistillerTest.DECISIONS_SESSION, session)
                        .replace("SQLite for the cart store", "SQLite for the cart store (trial " + trial + ")"));
                for (int turn = 1; turn <= 5; turn++) {
                    Hook.silent(Hook.run(team, "Stop", a, team.env(), Hook.input("Stop", a, session, transcript)));
                }
                String expected = "SQLite for the cart store (trial " + trial + ")";
                Hook.await("trial " + trial + ": Alice's distilled memory on the remote", Duration.ofSeconds(60),
                        () -> team.gitAttempt(team.remote, "show", "wyren/memory:.wyren/memory.md").out().contains(expected));

                Path b = team.clone("bob");
                String context = Hook.injected(Hook.run(team, "SessionStart", b, team.env(),
                        Hook.input("SessionStart", b, "bob-" + trial, null, "source", "startup")), "SessionStart");
                for (String fact : new String[] {expected, "WebSockets won't work behind the proxy", "user_id=1",
                        "broken on Safari", "out of scope", "multi-currency"}) {
                    assertTrue(context.contains(fact), "trial " + trial + ": Bob's session misses '" + fact + "':\n" + context);
                }
                team.assertUserReposUntouched();
            }
        }
    }
}
