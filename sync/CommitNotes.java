package sync;

import local.ShortId;
import memory.MemoryDocument;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages of Wyren's memory commits. What the hard cap dropped or shortened is written into the
 * commit that did it, so every teammate can see it ({@code git log wyren/memory}, {@code wyren status}),
 * not only the machine whose log says so.
 */
public final class CommitNotes {

    static final String DROPPED = "Dropped by the hard cap (" + MemoryDocument.MAX_BULLETS + " bullets, "
            + MemoryDocument.MAX_CHARS + " characters):";
    static final String SHORTENED = "Shortened to " + MemoryDocument.MAX_BULLET_CHARS + " characters:";
    /** How far back {@code wyren status} looks for drops. */
    static final int HISTORY = 200;

    /** A bullet the hard cap dropped, as recorded in a memory commit. */
    public record Drop(Instant at, String section, String bullet) {}

    private CommitNotes() {
    }

    /** {@code [wyren] memory update (session <first 8>)}, or {@code (manual)} from the CLI. */
    static String message(String sessionId) {
        String label = "manual".equals(sessionId) ? "manual"
                : "session " + ShortId.of(sessionId).replaceAll("[^A-Za-z0-9._-]", "_");
        return "[wyren] memory update (" + label + ")";
    }

    static String withCapNotes(String message, TreeMerge.Outcome merged) {
        if (merged.dropped().isEmpty() && merged.shortened().isEmpty()) {
            return message;
        }
        StringBuilder out = new StringBuilder(message.strip()).append("\n");
        if (!merged.dropped().isEmpty()) {
            out.append('\n').append(DROPPED).append('\n');
            merged.dropped().forEach(d -> out.append("- ").append(d.section()).append(": ").append(d.bullet()).append('\n'));
        }
        if (!merged.shortened().isEmpty()) {
            out.append('\n').append(SHORTENED).append('\n');
            merged.shortened().forEach(s -> out.append("- ").append(s.section()).append(": ")
                    .append(s.bullet(), 0, Math.min(120, s.bullet().length())).append("…\n"));
        }
        return out.toString();
    }

    /** Bullets the hard cap dropped in the last {@value #HISTORY} commits of the memory branch, newest first. */
    static List<Drop> recentDrops(Git git, String tip) {
        GitResult log = git.call("log", "-n", String.valueOf(HISTORY), "--format=%x1e%aI%x1f%B", tip).attempt();
        List<Drop> drops = new ArrayList<>();
        if (!log.ok()) {
            return drops;
        }
        for (String commit : log.stdout().split("\u001e")) {
            int sep = commit.indexOf('\u001f');
            if (sep < 0) {
                continue;
            }
            Instant at = OffsetDateTime.parse(commit.substring(0, sep).strip()).toInstant();
            boolean inDrops = false;
            for (String line : commit.substring(sep + 1).split("\n")) {
                if (line.equals(DROPPED)) {
                    inDrops = true;
                } else if (inDrops && line.startsWith("- ")) {
                    int colon = line.indexOf(": ");
                    drops.add(colon < 0 ? new Drop(at, "", line.substring(2))
                            : new Drop(at, line.substring(2, colon), line.substring(colon + 2)));
                } else {
                    inDrops = false;
                }
            }
        }
        return drops;
    }
}
