import com.fasterxml.jackson.databind.JsonNode;
import local.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a careless user does to {@code .wyren/} by hand (an emptied or cut-short memory, an editor
 * saving while Wyren syncs, a pasted stack trace, Windows line ends, a binary or secret-named shared
 * file) never loses the team's knowledge and never publishes a secret.
 */
class CarelessEditTest {

    @RegisterExtension
    final Team team = Team.create();
    final Path a = team.initializedClone("a");
    final Path memory = a.resolve(".wyren/memory.md");

    String remoteMemory() {
        return team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
    }

    /** Writes by hand, then dates the write back, as if the person saved a while ago. */
    void writeSettled(Path file, byte[] content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
    }

    void publishBullets(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            PullTest.addBullet(a, "Decisions", "Decision " + i + " about the cart [aaaaaaaa, turn " + i + "]");
        }
        team.wyren(a, "sync").expect(0);
    }

    @Test
    void emptiedOrBlankMemoryIsRewrittenFromTheBranchNeverPublished() throws Exception {
        publishBullets(5);
        for (String emptied : new String[] {"", "  \n\n\t\n"}) {
            writeSettled(memory, emptied.getBytes(StandardCharsets.UTF_8));
            team.wyren(a, "sync").expect(0);
            assertTrue(remoteMemory().contains("Decision 4 about the cart"), "an empty memory was published:\n" + remoteMemory());
            assertTrue(Files.readString(memory).contains("Decision 4 about the cart"), "not rewritten from the branch");
        }
        String log = Team.read(a.resolve(".wyren/log"));
        assertTrue(log.contains(".wyren/memory.md was empty; rewritten from the memory branch"), log);
    }

    @Test
    void memoryCutShortMidLineIsKeptAsideAndRewrittenNeverPublished() throws Exception {
        publishBullets(5);
        String whole = Files.readString(memory);
        String cut = whole.substring(0, whole.length() - 12);
        writeSettled(memory, cut.getBytes(StandardCharsets.UTF_8));
        team.wyren(a, "sync").expect(0);
        assertEquals(whole.strip(), remoteMemory().strip(), "a truncated memory was published");
        assertEquals(whole, Files.readString(memory), "not rewritten from the branch");
        try (Stream<Path> aside = Files.list(a.resolve(".wyren"))) {
            assertEquals(List.of(cut), aside.filter(p -> p.getFileName().toString().startsWith("memory.md.moved-"))
                    .map(Team::read).toList(), "the cut-short file is kept aside");
        }
    }

    /**
     * An editor saving in place (truncate, write half, pause 20 ms, write the rest, through one open
     * file) while syncs run: every version the remote ever gets is a whole one.
     */
    @Test
    void editorSavingWhileSyncRunsNeverPublishesAHalfWrittenMemory() throws Exception {
        publishBullets(3);
        String header = Files.readString(memory);
        Random random = new Random(7);
        CompletableFuture<Void> editor = CompletableFuture.runAsync(() -> {
            try {
                for (int round = 0; round < 15; round++) {
                    String text = header + IntStream.range(0, 20).mapToObj(i -> "- Hand note " + i + " "
                            + "z".repeat(40) + " end [bbbbbbbb, turn 1]\n").collect(Collectors.joining());
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    try (FileChannel channel = FileChannel.open(memory, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                        channel.write(ByteBuffer.wrap(bytes, 0, bytes.length / 2));
                        Thread.sleep(20);
                        channel.write(ByteBuffer.wrap(bytes, bytes.length / 2, bytes.length - bytes.length / 2));
                    }
                    Thread.sleep(random.nextInt(400));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (!editor.isDone()) {
            team.wyren(a, "sync");
            Thread.sleep(random.nextInt(150));
        }
        editor.get(60, TimeUnit.SECONDS);
        Thread.sleep(400);
        team.wyren(a, "sync").expect(0);
        for (String commit : team.git(team.remote, "rev-list", "wyren/memory").split("\n")) {
            String version = team.git(team.remote, "show", commit + ":.wyren/memory.md");
            for (String line : version.split("\n")) {
                assertTrue(!line.startsWith("- ") || line.endsWith("]"), "a half-written line was published in "
                        + commit + ": " + line);
            }
        }
        assertTrue(remoteMemory().contains("- Hand note 19"), "the finished save was published in the end");
    }

    @Test
    void pastedStackTraceIsShortenedAndEvictsNoOtherBullet() throws Exception {
        publishBullets(40);
        String trace = "Checkout crashes with " + "at com.shop.Cart.checkout(Cart.java:42) ".repeat(210);
        PullTest.addBullet(a, "Known broken state", trace + "[cccccccc, turn 9]");
        team.wyren(a, "sync").expect(0);
        String remote = remoteMemory();
        assertEquals(41, remote.lines().filter(l -> l.startsWith("- ")).count(), remote);
        String shortened = remote.lines().filter(l -> l.startsWith("- Checkout crashes")).findFirst().orElseThrow();
        assertTrue(shortened.length() <= 502 && shortened.endsWith("… [shortened by Wyren] [cccccccc, turn 9]"), shortened);
        assertTrue(team.git(team.remote, "log", "-1", "--format=%B", "wyren/memory").contains("Shortened to 500 characters:"));
    }

    @Test
    void hardCapDropsAreRecordedOnTheBranchAndReportedOnEveryClone() throws Exception {
        publishBullets(70);
        assertEquals(60, remoteMemory().lines().filter(l -> l.startsWith("- ")).count());
        String message = team.git(team.remote, "log", "-1", "--format=%B", "wyren/memory");
        assertTrue(message.contains("Dropped by the hard cap") && message.contains("- Decisions: Decision 69 about the cart"), message);
        Path b = team.clone("b");
        team.wyren(b, "sync").expect(0);
        JsonNode status = Json.MAPPER.readTree(team.wyren(b, "status", "--json").expect(0).out());
        assertEquals(10, status.path("dropped_by_cap_30d").asInt(), status.toString());
        assertTrue(status.path("dropped_by_cap_latest").get(0).asText().startsWith("Decisions: Decision"), status.toString());
    }

    @Test
    void byteOrderMarkAndWindowsLineEndsAreNormalizedBeforePublishing() throws Exception {
        String text = "\uFEFF" + Files.readString(memory).replace("\n", "\r\n") + "\r\n## Decisions\r\n- Saved on Windows [aaaaaaaa, turn 1]\r\n";
        writeSettled(memory, text.getBytes(StandardCharsets.UTF_8));
        team.wyren(a, "sync").expect(0);
        String remote = remoteMemory();
        assertFalse(remote.contains("\uFEFF") || remote.contains("\r"), "BOM or CR published");
        assertTrue(remote.contains("- Saved on Windows"));
    }

    @Test
    void strayTempFilesOfAKilledWriteAreRemovedOnceOld() throws Exception {
        Path old = a.resolve(".wyren/.memory.md.1234.tmp");
        Path young = a.resolve(".wyren/.memory.md.5678.tmp");
        writeSettled(old, "half".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(1200)));
        Files.writeString(young, "in use");
        team.wyren(a, "sync").expect(0);
        assertFalse(Files.exists(old), "an old stray temp file was left");
        assertTrue(Files.exists(young), "a temp file that may be in use was removed");
    }

    @Test
    void binaryOrSecretNamedBroadcastFilesAreNeverPublished() throws Exception {
        byte[] binary = ("AKIAIOSFODNN7EXAMPLE token=abcdef123456\n").getBytes(StandardCharsets.UTF_8);
        byte[] withBadByte = new byte[binary.length + 2];
        System.arraycopy(binary, 0, withBadByte, 0, binary.length);
        withBadByte[binary.length] = (byte) 0xff;
        withBadByte[binary.length + 1] = (byte) 0xfe;
        writeSettled(a.resolve(".wyren/broadcast/notes.bin.md"), withBadByte);
        writeSettled(a.resolve(".wyren/broadcast/ghp_abcdefghijklmnopqrstuvwxyz0123456789.md"),
                "harmless text\n".getBytes(StandardCharsets.UTF_8));
        writeSettled(a.resolve(".wyren/broadcast/ok.md"), "Deploy with make ship.\n".getBytes(StandardCharsets.UTF_8));
        team.wyren(a, "sync").expect(0);
        String tree = team.git(team.remote, "ls-tree", "-r", "--name-only", "wyren/memory");
        assertTrue(tree.contains(".wyren/broadcast/ok.md"), tree);
        assertFalse(tree.contains("notes.bin.md") || tree.contains("ghp_"), tree);
        String log = Team.read(a.resolve(".wyren/log"));
        assertTrue(log.contains("not UTF-8 text") && log.contains("looks like a secret"), log);
        assertFalse(log.contains("ghp_abcdefghij"), "the token leaked into the log");
    }

    @Test
    void handEditedSecretsInCommonFormatsAreRedactedBeforePublishing() throws Exception {
        String[] secrets = {"sk_live_51HabcdefghijklmnopqrstuvWXYZ", "AIzaSyA1234567890abcdefghijklmnopqrstuv",
                "hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                "npm_abcdefghijklmnopqrstuvwxyz0123456789", "DB_PASS=s3cr3t-p4ss", "--password Sup3rSecret!",
                "AccountKey=dGhpcyBpcyBhIGtleQ0123+/==;", "the password is hunter2"};
        for (String secret : secrets) {
            PullTest.addBullet(a, "Handoff notes", "Note with " + secret + " in it [dddddddd, turn 1]");
        }
        team.wyren(a, "sync").expect(0);
        String remote = remoteMemory();
        for (String leaked : new String[] {"sk_live_51H", "AIzaSyA123", "XXXXXXXXXXXXXXXXXXXXXXXX", "npm_abcdef",
                "s3cr3t-p4ss", "Sup3rSecret", "dGhpcyBpcyBhIGtleQ0123", "hunter2"}) {
            assertFalse(remote.contains(leaked), leaked + " was published:\n" + remote);
        }
        assertEquals(secrets.length, remote.lines().filter(l -> l.contains("[redacted:")).count(), remote);
    }
}
