package sync;

import local.WyrenPaths;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The versions of {@code .wyren/memory.md} on the memory branch's first-parent line, newest first,
 * in three git processes whatever their number: one {@code log --raw}, one size check and one
 * {@code cat-file --batch} for the blobs (an oversized one reads as empty, never whole).
 */
final class MemoryHistory {

    private final Git git;
    private final MemoryBranch branch;

    MemoryHistory(Git git, MemoryBranch branch) {
        this.git = git;
        this.branch = branch;
    }

    List<MemoryVersion> of(String tip, int limit) {
        String log = git.call("log", "--first-parent", "--root", "--no-renames", "--raw", "--no-abbrev", "-n", String.valueOf(limit),
                "--format=%x01%H%x00%an%x00%ae%x00%aI", tip, "--", WyrenPaths.MEMORY).run().stdout();
        record Change(String commit, String author, String email, String time, String blob) {}
        List<Change> changes = new ArrayList<>();
        for (String record : log.split("\u0001")) {
            List<String> lines = record.lines().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) {
                continue;
            }
            String[] header = lines.get(0).split("\u0000", -1);
            String blob = lines.stream().skip(1).filter(l -> l.startsWith(":") && l.endsWith("\t" + WyrenPaths.MEMORY))
                    .map(l -> l.split("\\s+")[3]).findFirst().orElse("");
            if (header.length == 4) {
                changes.add(new Change(header[0], header[1], header[2], header[3], blob));
            }
        }
        Map<String, String> texts = readable(changes.stream().map(Change::blob).filter(b -> !b.isEmpty() && !b.matches("0+")).toList());
        List<MemoryVersion> versions = new ArrayList<>();
        for (Change c : changes) {
            versions.add(new MemoryVersion(c.commit(), c.author(), c.email(), OffsetDateTime.parse(c.time()).toInstant(),
                    texts.getOrDefault(c.blob(), "")));
        }
        return versions;
    }

    /** The blobs at most {@link MemoryBranch#MAX_MEMORY_BLOB} bytes, as text, by id. */
    private Map<String, String> readable(List<String> blobs) {
        Set<String> distinct = new LinkedHashSet<>(blobs);
        if (distinct.isEmpty()) {
            return Map.of();
        }
        List<String> sizes = git.call("cat-file", "--batch-check").input(String.join("\n", distinct) + "\n").run().stdout().lines().toList();
        Map<String, String> wanted = new HashMap<>();
        for (String answer : sizes) {
            String[] parts = answer.split(" ");
            if (parts.length == 3 && parts[1].equals("blob") && Long.parseLong(parts[2]) <= MemoryBranch.MAX_MEMORY_BLOB) {
                wanted.put(parts[0], parts[0]);
            }
        }
        Map<String, String> texts = new HashMap<>();
        branch.blobs(wanted).files().forEach((id, bytes) -> texts.put(id, new String(bytes, StandardCharsets.UTF_8)));
        return texts;
    }
}
