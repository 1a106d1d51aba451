package memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Entries a person took back with {@code wyren forget}: the tombstones kept on the memory branch in
 * {@code .wyren/forgotten.md}, so that neither a teammate's merge nor a later distillation brings one
 * back. A tombstone is matched by the entry's identity ({@link MemoryDocument#identity}), so its
 * provenance tag, case and spacing do not matter.
 *
 * <pre>
 * - Use Redis for the session cache
 *   forgotten by Alice Doe on 2026-12-01: we moved to Postgres
 * </pre>
 */
public record Tombstones(List<Tombstone> all) {

    /** {@code wyren forget} keeps the tombstones within this many and {@link #MAX_BYTES}; a new one past them is refused. */
    public static final int MAX = 2_000;
    public static final int MAX_BYTES = 512 * 1024;
    /** Tombstones read from a file, at most: a teammate's crafted file cannot cost unbounded time. */
    static final int MAX_READ = 2 * MAX;
    static final int MAX_NOTE = 300;
    private static final String HEADER = """
            # Forgotten memory entries

            Wyren keeps each entry below out of the team memory. `wyren unforget <text>` lifts one;
            `wyren forget --list` shows them.
            """;
    private static final String NOTE_INDENT = "  ";

    /** One forgotten entry: its text (without provenance tag) and who forgot it, when and why. */
    public record Tombstone(String text, String note) {
        public Tombstone {
            text = oneLine(text, MemoryDocument.MAX_BULLET_CHARS);
            note = Redactor.redact(oneLine(note, MAX_NOTE)).text();
        }

        public String identity() {
            return MemoryDocument.identity(text);
        }
    }

    /** A memory without its forgotten entries, and the entries that were taken out. */
    public record Filtered(MemoryDocument memory, List<MemoryDocument.Entry> removed) {}

    public Tombstones {
        all = List.copyOf(all);
    }

    public static Tombstones none() {
        return new Tombstones(List.of());
    }

    /** Reads the file leniently: a bullet starts a tombstone, an indented line under it is its note. */
    public static Tombstones parse(String text) {
        List<Tombstone> found = new ArrayList<>();
        String pendingText = null;
        String pendingNote = "";
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (line.startsWith("- ") && line.length() > 2) {
                if (pendingText != null) {
                    found.add(new Tombstone(pendingText, pendingNote));
                }
                if (found.size() >= MAX_READ) {
                    pendingText = null;
                    break;
                }
                pendingText = line.substring(2);
                pendingNote = "";
            } else if (pendingText != null && line.startsWith(NOTE_INDENT) && !line.isBlank() && pendingNote.isEmpty()) {
                pendingNote = line.strip();
            }
        }
        if (pendingText != null) {
            found.add(new Tombstone(pendingText, pendingNote));
        }
        return new Tombstones(distinct(found));
    }

    public String render() {
        StringBuilder out = new StringBuilder(HEADER);
        if (!all.isEmpty()) {
            out.append('\n');
        }
        for (Tombstone t : all) {
            out.append("- ").append(t.text()).append('\n');
            if (!t.note().isEmpty()) {
                out.append(NOTE_INDENT).append(t.note()).append('\n');
            }
        }
        return out.toString();
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    public Set<String> identities() {
        Set<String> ids = new LinkedHashSet<>();
        all.forEach(t -> ids.add(t.identity()));
        return ids;
    }

    /** These tombstones and the given ones (an entry forgotten twice keeps its first note). */
    public Tombstones with(List<Tombstone> more) {
        List<Tombstone> combined = new ArrayList<>(all);
        combined.addAll(more);
        return new Tombstones(distinct(combined));
    }

    /** Whether {@code more} fit within {@link #MAX} tombstones and {@link #MAX_BYTES}. */
    public boolean roomFor(List<Tombstone> more) {
        Tombstones after = with(more);
        return after.all.size() <= MAX && after.render().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    /** These tombstones without the given ones. */
    public Tombstones without(List<Tombstone> lifted) {
        Set<String> ids = new LinkedHashSet<>();
        lifted.forEach(t -> ids.add(t.identity()));
        return new Tombstones(all.stream().filter(t -> !ids.contains(t.identity())).toList());
    }

    /** Tombstones whose text contains {@code text}, ignoring case. */
    public List<Tombstone> matching(String text) {
        String needle = text.toLowerCase(Locale.ROOT);
        return all.stream().filter(t -> t.text().toLowerCase(Locale.ROOT).contains(needle)).toList();
    }

    /**
     * The memory without every entry these tombstones name. The document is rebuilt only when
     * something is taken out, so a hand-written memory with nothing forgotten keeps its exact text.
     */
    public Filtered filter(MemoryDocument memory) {
        Set<String> ids = identities();
        List<MemoryDocument.Entry> removed = new ArrayList<>();
        List<MemoryDocument.Section> sections = new ArrayList<>();
        for (MemoryDocument.Section s : memory.sections()) {
            List<String> kept = new ArrayList<>();
            for (String bullet : s.bullets()) {
                if (ids.contains(MemoryDocument.identity(bullet))) {
                    removed.add(new MemoryDocument.Entry(s.name(), bullet));
                } else {
                    kept.add(bullet);
                }
            }
            sections.add(new MemoryDocument.Section(s.name(), s.prose(), kept));
        }
        return new Filtered(removed.isEmpty() ? memory : new MemoryDocument(memory.preamble(), sections), List.copyOf(removed));
    }

    /**
     * 3-way merge by identity, as for memory bullets: theirs, minus what ours lifted since base, plus
     * what ours added. Two people forgetting different entries at once keep both tombstones.
     */
    public static Tombstones merge(Tombstones base, Tombstones ours, Tombstones theirs) {
        Set<String> baseIds = base.identities();
        Set<String> oursIds = ours.identities();
        List<Tombstone> result = new ArrayList<>();
        for (Tombstone t : theirs.all) {
            if (!baseIds.contains(t.identity()) || oursIds.contains(t.identity())) {
                result.add(t);
            }
        }
        for (Tombstone o : ours.all) {
            if (!baseIds.contains(o.identity())) {
                result.add(o);
            }
        }
        return new Tombstones(distinct(result));
    }

    private static List<Tombstone> distinct(List<Tombstone> tombstones) {
        Map<String, Tombstone> byId = new LinkedHashMap<>();
        for (Tombstone t : tombstones) {
            if (!t.text().isBlank()) {
                byId.putIfAbsent(t.identity(), t);
            }
        }
        return List.copyOf(byId.values());
    }

    private static String oneLine(String s, int max) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), max));
        boolean blank = false;
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            boolean space = Character.isWhitespace(c) || Character.isISOControl(c);
            if (space && !blank && out.length() > 0) {
                out.append(' ');
            } else if (!space) {
                out.append(c);
            }
            blank = space;
        }
        return out.toString().strip();
    }
}
