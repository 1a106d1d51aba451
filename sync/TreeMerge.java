package sync;

import local.LogFile;
import local.WyrenPaths;
import memory.MemoryDocument;
import memory.Tombstones;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The 3-way merge of two memory trees (SPEC §4): {@code memory.md} bullet by bullet, broadcast files
 * path by path, the tombstones of forgotten entries by identity (and no forgotten entry survives
 * the merge). Nothing else is lost: a file both sides changed keeps theirs at its path and ours beside
 * it as {@code <name>.local-<short id>}; bullets dropped by the hard cap are reported for the log.
 */
final class TreeMerge {

    /**
     * The merged tree, the bullets the hard cap dropped or shortened, the entries kept out because
     * someone forgot them, and one line per conflict resolved.
     */
    record Outcome(Snapshot result, List<MemoryDocument.Entry> dropped, List<MemoryDocument.Entry> shortened,
                   List<MemoryDocument.Entry> forgotten, List<String> conflicts) {}

    private TreeMerge() {
    }

    static Outcome merge(Snapshot base, Snapshot ours, Snapshot theirs, String objectFormat) {
        Map<String, byte[]> result = new HashMap<>();
        List<String> conflicts = new ArrayList<>();
        List<MemoryDocument.Entry> dropped = new ArrayList<>();
        List<MemoryDocument.Entry> shortened = new ArrayList<>();
        TreeSet<String> paths = new TreeSet<>();
        paths.addAll(base.files().keySet());
        paths.addAll(ours.files().keySet());
        paths.addAll(theirs.files().keySet());
        paths.addAll(ours.refused());
        paths.addAll(theirs.refused());
        for (String path : paths) {
            Optional<byte[]> b = base.get(path);
            // A side's file that was too large to read counts as unchanged: the other side's stands.
            Optional<byte[]> o = ours.refused().contains(path) ? b : ours.get(path);
            Optional<byte[]> t = theirs.refused().contains(path) ? b : theirs.get(path);
            if (path.equals(WyrenPaths.MEMORY) && b.isEmpty() && o.isEmpty() && t.isEmpty()) {
                continue;
            }
            if (path.equals(WyrenPaths.FORGOTTEN)) {
                // Unforget writes the file back without the lifted tombstone, never deletes it: a side
                // without the file (a commit by a Wyren that predates tombstones) lifted nothing.
                Optional<byte[]> ours1 = o.or(() -> b);
                Optional<byte[]> theirs1 = t.or(() -> b);
                result.put(path, same(ours1, theirs1) && ours1.isPresent() ? ours1.get()
                        : Tombstones.merge(tombstones(b), tombstones(ours1), tombstones(theirs1)).render().getBytes(StandardCharsets.UTF_8));
            } else if (path.equals(WyrenPaths.MEMORY)) {
                Capped memory = mergeMemory(b, o, t);
                dropped.addAll(memory.dropped());
                shortened.addAll(memory.shortened());
                result.put(path, memory.content());
            } else if (same(o, b)) {
                t.ifPresent(bytes -> result.put(path, bytes));
            } else if (same(t, b) || same(o, t)) {
                o.ifPresent(bytes -> result.put(path, bytes));
            } else if (o.isEmpty()) {
                conflicts.add(LogFile.quote(path) + ": deleted here, changed by a teammate; kept their version");
                result.put(path, t.get());
            } else if (t.isEmpty()) {
                conflicts.add(LogFile.quote(path) + ": changed here, deleted by a teammate; kept this version");
                result.put(path, o.get());
            } else {
                String aside = path + ".local-" + Snapshot.blobId(o.get(), objectFormat).substring(0, 7);
                conflicts.add(LogFile.quote(path) + ": changed on both sides; kept theirs, this version saved as " + LogFile.quote(aside));
                result.put(path, t.get());
                result.put(aside, o.get());
            }
        }
        List<MemoryDocument.Entry> forgotten = keepForgottenOut(result);
        return new Outcome(new Snapshot(result), List.copyOf(dropped), List.copyOf(shortened), forgotten, List.copyOf(conflicts));
    }

    /** Takes every entry the merged tombstones name out of the merged memory: forgotten stays forgotten. */
    private static List<MemoryDocument.Entry> keepForgottenOut(Map<String, byte[]> tree) {
        byte[] memory = tree.get(WyrenPaths.MEMORY);
        Tombstones tombstones = tombstones(Optional.ofNullable(tree.get(WyrenPaths.FORGOTTEN)));
        if (memory == null || tombstones.isEmpty()) {
            return List.of();
        }
        Tombstones.Filtered filtered = tombstones.filter(MemoryDocument.parse(new String(memory, StandardCharsets.UTF_8)));
        if (!filtered.removed().isEmpty()) {
            tree.put(WyrenPaths.MEMORY, filtered.memory().render().getBytes(StandardCharsets.UTF_8));
        }
        return filtered.removed();
    }

    static Tombstones tombstones(Optional<byte[]> bytes) {
        return bytes.map(b -> Tombstones.parse(new String(b, StandardCharsets.UTF_8))).orElse(Tombstones.none());
    }

    /** A memory file within the hard cap: the merged text, the bullets that had to go and those shortened. */
    record Capped(byte[] content, List<MemoryDocument.Entry> dropped, List<MemoryDocument.Entry> shortened) {}

    /**
     * Merges memory.md. When only one side changed it, that side's text is kept as written (a hand
     * edit is not reformatted); either way the result is held to the hard cap.
     */
    static Capped mergeMemory(Optional<byte[]> base, Optional<byte[]> ours, Optional<byte[]> theirs) {
        byte[] merged;
        if (same(ours, base) || ours.isEmpty()) {
            merged = theirs.or(() -> ours).orElse(new byte[0]);
        } else if (same(theirs, base) || same(ours, theirs) || theirs.isEmpty()) {
            merged = ours.get();
        } else {
            merged = MemoryDocument.merge(parse(base), parse(ours), parse(theirs)).render()
                    .getBytes(StandardCharsets.UTF_8);
        }
        return cap(merged);
    }

    static Capped cap(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        MemoryDocument.Capped capped = MemoryDocument.parse(text).capped();
        boolean untouched = capped.dropped().isEmpty() && capped.shortened().isEmpty();
        if (untouched && text.length() <= MemoryDocument.MAX_CHARS) {
            return new Capped(content, List.of(), List.of());
        }
        return new Capped(capped.document().render().getBytes(StandardCharsets.UTF_8), capped.dropped(), capped.shortened());
    }

    private static MemoryDocument parse(Optional<byte[]> bytes) {
        return bytes.map(b -> MemoryDocument.parse(new String(b, StandardCharsets.UTF_8))).orElse(MemoryDocument.empty());
    }

    private static boolean same(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }
}
