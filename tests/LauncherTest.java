import local.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed {@code ./jbang} launcher, run as a real process with controlled PATHs. */
class LauncherTest {

    static final Path LAUNCHER = Team.repoRoot().resolve("jbang");

    @TempDir
    Path dir;

    Path bin(String name, String... tools) throws Exception {
        Path bin = Files.createDirectories(dir.resolve(name));
        for (String tool : tools) {
            for (String d : System.getenv("PATH").split(":")) {
                Path found = Path.of(d, tool);
                if (Files.isExecutable(found)) {
                    executable(bin.resolve(tool), "#!/bin/sh\nexec " + found + " \"$@\"\n");
                    break;
                }
            }
        }
        return bin;
    }

    Team.Result launch(String path, String... args) {
        Env env = new Env(Map.of("PATH", path, "HOME", dir.toString(), "WYREN_JBANG_CACHE", dir.resolve("cache").toString()));
        List<String> command = new java.util.ArrayList<>(List.of("/bin/bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        return Team.runWith(dir, env, "", Duration.ofSeconds(30), command);
    }

    static void executable(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void jbangOnPathIsUsedWithArgumentsUnchangedAndOtherLaunchersSkipped() throws Exception {
        Path tools = bin("tools", "realpath", "grep", "cat");
        Path otherCheckout = Files.createDirectories(dir.resolve("other-checkout"));
        Files.copy(LAUNCHER, otherCheckout.resolve("jbang"));
        Path real = Files.createDirectories(dir.resolve("real"));
        executable(real.resolve("jbang"), "#!/bin/bash\nfor a in \"$@\"; do printf '<%s>' \"$a\"; done\necho\n");
        Team.Result r = launch(LAUNCHER.getParent() + ":" + otherCheckout + ":" + real + ":" + tools,
                "run", "a b", "c\"d", "$HOME").expect(0);
        assertEquals("<run><a b><c\"d><$HOME>\n", r.out(), r.toString());
    }

    @Test
    void withoutJbangJavaOrMavenItExitsOneWithAReason() throws Exception {
        Path tools = bin("tools", "realpath", "grep");
        Team.Result noJava = launch(tools.toString(), "--version").expect(1);
        assertEquals("", noJava.out());
        assertTrue(noJava.err().startsWith("jbang launcher: neither jbang nor java found on PATH"), noJava.toString());

        Path withJava = bin("with-java", "realpath", "grep", "java", "sed");
        Team.Result noMaven = launch(withJava.toString(), "--version").expect(1);
        assertTrue(noMaven.err().startsWith("jbang launcher: neither jbang nor mvn found on PATH"), noMaven.toString());
        assertEquals(1, noMaven.err().lines().count(), noMaven.toString());
    }
}
