package session;

import local.JsonValues;
import local.LogFile;
import local.StateFiles;
import local.WyrenPaths;
import memory.MemoryDocument;
import memory.Provenance;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which memory entries may be stale, checked against the user's checkout with file-system calls
 * only (no git process): an entry whose every named repository path is gone, and a live workaround
 * or known breakage no session has confirmed for {@code WYREN_STALE_DAYS}. What "existed when the
 * entry was written" and "confirmed" mean is kept per machine in {@code .wyren/state/entries.json}:
 * the named paths seen existing when this machine first had the entry (or its distiller wrote it),
 * and since when its provenance tag stands (a session that confirms an entry tags it anew).
 */
public final class Staleness {

    /** An entry and the note its injected line ends with. */
    public record Mark(MemoryDocument.Entry entry, String note) {}

    static final Set<String> AGING = Set.of("Live workarounds", "Known broken state");
    static final int MAX_PATHS_PER_ENTRY = 8;
    /** Directory entries looked at, at most, in one check, when searching for where gone files went. */
    static final int SEARCH_LIMIT = 5_000;
    private static final Set<String> NOT_SEARCHED = Set.of("node_modules", "target", "build", "dist", "out", "vendor", "__pycache__");

    private record Seen(String tag, Instant since, Set<String> paths) {}

    private Staleness() {
    }

    /**
     * The possibly stale entries of {@code memory}. With {@code record}, what is learned now (new
     * entries, new tags, named paths that exist) is written back; without, nothing is written.
     */
    public static List<Mark> check(WyrenPaths paths, MemoryDocument memory, Duration staleAfter, boolean record, LogFile log) {
        Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        List<MemoryDocument.Entry> entries = memory.entries();
        if (noneTracked(entries) && !Files.exists(paths.entryRecords(), LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        Map<String, Seen> before = read(paths.entryRecords(), log);
        Learned learned = learn(before, entries, paths.root(), now);
        if (record && !unchanged(learned.seen(), before)) {
            try {
                // Learned again under the state file's lock: hooks and the distiller at once lose nothing.
                learned = learnLocked(paths, entries, now, log);
            } catch (IOException e) {
                log.warn("could not record memory entries' paths and ages", e);
            }
        }
        Set<String> goneNames = new LinkedHashSet<>();
        learned.checked().forEach(c -> c.gone().forEach(p -> goneNames.add(fileName(p))));
        Map<String, String> movedTo = goneNames.isEmpty() ? Map.of() : findByNames(paths.root(), goneNames);
        List<Mark> marks = new ArrayList<>();
        for (Checked c : learned.checked()) {
            List<String> notes = new ArrayList<>();
            if (!c.gone().isEmpty()) {
                List<String> gone = new ArrayList<>();
                for (String p : c.gone()) {
                    String at = movedTo.get(fileName(p));
                    gone.add(at == null ? p + " no longer exists" : p + " is gone; a file of that name is at " + at);
                }
                notes.add(String.join(", ", gone));
            }
            Duration age = Duration.between(c.seen().since(), now);
            if (AGING.contains(c.entry().section()) && age.compareTo(staleAfter) > 0) {
                notes.add("not confirmed by any session for " + age.toDays() + " days");
            }
            if (!notes.isEmpty()) {
                marks.add(new Mark(c.entry(), "possibly stale: " + String.join("; ", notes)));
            }
        }
        return marks;
    }

    /**
     * Field by field: a record's own {@code equals} is bootstrapped through method handles on first
     * use, which costs a hook tens of milliseconds at start-up (measured with bench/stale.sh).
     */
    private static boolean unchanged(Map<String, Seen> now, Map<String, Seen> before) {
        if (now.size() != before.size()) {
            return false;
        }
        for (Map.Entry<String, Seen> e : now.entrySet()) {
            Seen was = before.get(e.getKey());
            Seen is = e.getValue();
            if (was == null || !was.tag().equals(is.tag()) || !was.since().equals(is.since()) || !was.paths().equals(is.paths())) {
                return false;
            }
        }
        return true;
    }

    private record Checked(MemoryDocument.Entry entry, Seen seen, Set<String> gone) {}

    private record Learned(Map<String, Seen> seen, List<Checked> checked) {}

    private static Learned learnLocked(WyrenPaths paths, List<MemoryDocument.Entry> entries, Instant now, LogFile log) throws IOException {
        Learned[] learned = new Learned[1];
        StateFiles.update(paths.entryRecords(), CODEC, log, latest -> {
            learned[0] = learn(latest, entries, paths.root(), now);
            return learned[0].seen();
        });
        return learned[0];
    }

    /**
     * What is known of each entry now: a new entry or a new tag is seen since {@code now}; named paths
     * that exist are added to those recorded; an entry whose recorded paths are all gone is noted.
     */
    private static Learned learn(Map<String, Seen> before, List<MemoryDocument.Entry> entries, Path root, Instant now) {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            realRoot = root;
        }
        Map<String, Seen> after = new LinkedHashMap<>();
        List<Checked> checked = new ArrayList<>();
        for (MemoryDocument.Entry entry : entries) {
            if (!tracked(entry)) {
                continue;
            }
            String id = MemoryDocument.identity(entry.bullet());
            String tag = Provenance.of(entry.bullet()).map(p -> p.session() + "," + p.turn()).orElse("");
            List<String> named = entry.bullet().indexOf('/') < 0 ? List.of() : pathsNamed(entry.bullet());
            Set<String> existing = new LinkedHashSet<>();
            for (String p : named) {
                if (exists(realRoot, p)) {
                    existing.add(p);
                }
            }
            Seen seen = Optional.ofNullable(before.get(id)).orElse(new Seen(tag, now, Set.of()));
            Set<String> recorded = new LinkedHashSet<>(seen.paths());
            recorded.retainAll(named);
            recorded.addAll(existing);
            Seen updated = new Seen(tag, seen.tag().equals(tag) ? seen.since() : now, recorded);
            after.put(id, updated);
            checked.add(new Checked(entry, updated, !recorded.isEmpty() && existing.isEmpty() ? recorded : Set.of()));
        }
        return new Learned(after, checked);
    }

    /** Only entries that may name a path, or that age, are checked and recorded. */
    private static boolean tracked(MemoryDocument.Entry entry) {
        return AGING.contains(entry.section()) || entry.bullet().indexOf('/') >= 0;
    }

    private static boolean noneTracked(List<MemoryDocument.Entry> entries) {
        for (MemoryDocument.Entry entry : entries) {
            if (tracked(entry)) {
                return false;
            }
        }
        return true;
    }

    /** Identity to note, for the injection. */
    public static Map<String, String> notes(List<Mark> marks) {
        Map<String, String> notes = new LinkedHashMap<>();
        marks.forEach(m -> notes.put(MemoryDocument.identity(m.entry().bullet()), m.note()));
        return notes;
    }

    /**
     * Repository paths an entry names: tokens with a slash, of path characters only, relative,
     * without {@code ..}, outside {@code .git/} and {@code .wyren/}. Found from each slash outwards,
     * so text without one costs one scan (hooks run this interpreted, on every bullet).
     */
    static List<String> pathsNamed(String bullet) {
        String text = Provenance.withoutTag(bullet);
        List<String> found = new ArrayList<>();
        int slash = text.indexOf('/');
        while (slash >= 0 && found.size() < MAX_PATHS_PER_ENTRY) {
            int from = slash;
            while (from > 0 && pathChar(text.charAt(from - 1))) {
                from--;
            }
            int to = slash;
            while (to < text.length() && pathChar(text.charAt(to))) {
                to++;
            }
            // A token glued to another character ("https:", "~/", "#L10", "a=b/c") is no plain path.
            boolean bounded = (from == 0 || separator(text.charAt(from - 1))) && (to == text.length() || separator(text.charAt(to)));
            if (bounded) {
                candidate(text.substring(from, to)).filter(p -> !found.contains(p)).ifPresent(found::add);
            }
            slash = text.indexOf('/', to);
        }
        return found;
    }

    private static boolean pathChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '.' || c == '_' || c == '/' || c == '-' || c == '+' || c == '@';
    }

    private static boolean separator(char c) {
        return c == ' ' || c == '\t' || c == '`' || c == '\'' || c == '"' || c == '(' || c == ')' || c == '[' || c == ']'
                || c == '{' || c == '}' || c == '<' || c == '>' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '*';
    }

    private static Optional<String> candidate(String token) {
        String t = token;
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.startsWith("./")) {
            t = t.substring(2);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.length() < 3 || t.length() > 200 || !t.contains("/") || t.startsWith("/") || t.startsWith("@")
                || t.contains("//") || t.equals(".git") || t.startsWith(".git/") || t.startsWith(WyrenPaths.DIR + "/")) {
            return Optional.empty();
        }
        for (String component : t.split("/")) {
            if (component.equals("..") || component.equals(".")) {
                return Optional.empty();
            }
        }
        return Optional.of(t);
    }

    /**
     * Whether the path is there without a symlink on the way: its real path (one {@code realpath}
     * call) is the path itself under the checkout's real root. A path through a symlink counts as
     * not there, and so is never recorded as existing.
     */
    private static boolean exists(Path realRoot, String path) {
        try {
            return realRoot.resolve(path).toRealPath().equals(realRoot.resolve(path));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Where entries called {@code names} are now: one bounded breadth-first walk of the checkout
     * for all of them (symlinks not followed, dot-folders and build output skipped), the first found
     * for each.
     */
    static Map<String, String> findByNames(Path root, Set<String> names) {
        Map<String, String> found = new LinkedHashMap<>();
        Deque<Path> folders = new ArrayDeque<>(List.of(root));
        int looked = 0;
        while (!folders.isEmpty() && looked < SEARCH_LIMIT && found.size() < names.size()) {
            Path folder = folders.removeFirst();
            try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
                for (Path child : children) {
                    if (++looked > SEARCH_LIMIT) {
                        break;
                    }
                    String childName = child.getFileName().toString();
                    if (names.contains(childName)) {
                        found.putIfAbsent(childName, root.relativize(child).toString());
                    }
                    if (!childName.startsWith(".") && !NOT_SEARCHED.contains(childName)
                            && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                        folders.addLast(child);
                    }
                }
            } catch (IOException e) {
                // An unreadable folder is skipped: the search is a hint, not a verdict.
            }
        }
        return found;
    }

    private static Map<String, Seen> read(Path file, LogFile log) {
        return StateFiles.read(file, CODEC, log);
    }

    private static final StateFiles.Codec<Map<String, Seen>> CODEC = new StateFiles.Codec<>() {
        public Map<String, Seen> defaults() {
            return Map.of();
        }

        public Map<String, Seen> fromJson(Map<String, Object> json) {
            Map<String, Seen> entries = new LinkedHashMap<>();
            JsonValues.object(json, "entries").ifPresent(all -> all.forEach((id, value) -> {
                if (value instanceof Map<?, ?> raw) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> e = (Map<String, Object>) raw;
                    try {
                        Set<String> paths = new LinkedHashSet<>();
                        for (Object p : JsonValues.list(e, "paths").orElse(List.of())) {
                            if (p instanceof String path && paths.size() < MAX_PATHS_PER_ENTRY) {
                                paths.add(path);
                            }
                        }
                        long since = JsonValues.number(e, "since", -1);
                        if (since >= 0) {
                            entries.put(id, new Seen(JsonValues.string(e, "tag").orElse(""), Instant.ofEpochSecond(since), paths));
                        }
                    } catch (RuntimeException bad) {
                        // A damaged record is forgotten: the entry is seen anew.
                    }
                }
            }));
            return entries;
        }

        public Map<String, Object> toJson(Map<String, Seen> entries) {
            Map<String, Object> all = new LinkedHashMap<>();
            entries.forEach((id, seen) -> all.put(id, Map.of("tag", seen.tag(), "since", seen.since().getEpochSecond(),
                    "paths", List.copyOf(seen.paths()))));
            return Map.of("entries", all);
        }
    };
}
