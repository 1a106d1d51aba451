package memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The team memory file (SPEC §5): a title, then {@code ## Section} blocks of {@code - bullet} lines.
 *
 * <p>Immutable. {@link #parse} is tolerant (any text parses; unknown headings become unknown
 * sections, stray lines become prose), {@link #render} is canonical (known sections in §5 order,
 * empty sections omitted), and {@link #merge} is the 3-way bullet merge of §4 that must not lose
 * knowledge. Every write goes through {@link #capped()}, which enforces the hard cap.
 */
public record MemoryDocument(List<String> preamble, List<Section> sections) {

    /** Known sections, in the order they are rendered. */
    public static final List<String> KNOWN_SECTIONS = List.of(
            "Decisions", "Rejected paths", "Live workarounds", "Known broken state",
            "Scope changes", "Open questions", "Handoff notes");
    public static final int MAX_BULLETS = 60;
    public static final int MAX_CHARS = 8_000;
    /** A bullet longer than this (a pasted stack trace) is shortened, so it can never push the rest out. */
    public static final int MAX_BULLET_CHARS = 500;
    static final String SHORTENED = "… [shortened by Wyren]";
    public static final String DEFAULT_TITLE = "# Team memory";
    /** The known sections' keys ({@link #key}), computed once: hooks look sections up on every heading. */
    private static final List<String> KNOWN_KEYS = keysOf(KNOWN_SECTIONS);

    /** One {@code ## name} block: non-bullet lines (prose) and bullets (text after "- "). */
    public record Section(String name, List<String> prose, List<String> bullets) {
        public Section {
            prose = List.copyOf(prose);
            bullets = List.copyOf(bullets);
        }

        boolean isEmpty() {
            return bullets.isEmpty() && prose.stream().allMatch(String::isBlank);
        }
    }

    /** A bullet together with the section it belongs to. */
    public record Entry(String section, String bullet) {}

    /** Result of {@link #capped()}: the document within the hard cap, what had to go and what was shortened (as it was). */
    public record Capped(MemoryDocument document, List<Entry> dropped, List<Entry> shortened) {}

    /** Bullets that appeared and disappeared between two versions, by identity. */
    public record Delta(List<Entry> added, List<Entry> removed) {
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty();
        }
    }

    public MemoryDocument {
        preamble = List.copyOf(preamble);
        sections = List.copyOf(sections);
    }

    public static MemoryDocument empty() {
        return new MemoryDocument(List.of(), List.of());
    }

    /** A fresh memory: the title and a one-line explanation, no sections yet. */
    public static MemoryDocument skeleton() {
        return new MemoryDocument(List.of(DEFAULT_TITLE, "",
                "What this team decided, rejected, hacked around and left broken, kept by Wyren from"
                        + " Claude Code sessions. Edit freely: your changes are merged, not overwritten."),
                List.of());
    }

    /** A document holding just these bullets (what a session was shown), for computing deltas. */
    public static MemoryDocument fromEntries(List<Entry> entries) {
        Map<String, List<String>> bySection = new LinkedHashMap<>();
        for (Entry e : entries) {
            bySection.computeIfAbsent(e.section(), k -> new ArrayList<>()).add(e.bullet());
        }
        List<Section> sections = new ArrayList<>();
        for (Map.Entry<String, List<String>> section : bySection.entrySet()) {
            sections.add(new Section(section.getKey(), List.of(), section.getValue()));
        }
        return new MemoryDocument(List.of(), sections);
    }

    /**
     * A first memory seeded from a project's CLAUDE.md: bullets under headings named like a known
     * section stay there, every other bullet becomes a handoff note; prose is left out. Callers cap it.
     */
    public static MemoryDocument fromClaudeMd(String claudeMd) {
        MemoryDocument source = parse(claudeMd);
        Map<String, List<String>> bySection = new LinkedHashMap<>();
        for (Section s : source.sections) {
            String target = isKnownSection(s.name()) ? s.name() : "Handoff notes";
            bySection.computeIfAbsent(target, k -> new ArrayList<>()).addAll(s.bullets());
        }
        List<Section> sections = bySection.entrySet().stream()
                .map(e -> new Section(e.getKey(), List.of(), e.getValue())).toList();
        return new MemoryDocument(skeleton().preamble(), sections);
    }

    public static MemoryDocument parse(String text) {
        List<String> preamble = new ArrayList<>();
        Map<String, SectionBuilder> byKey = new LinkedHashMap<>();
        SectionBuilder current = null;
        for (String raw : text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            String line = raw.stripTrailing();
            Optional<String> heading = headingName(line);
            if (heading.isPresent()) {
                String name = canonicalName(heading.get());
                current = byKey.computeIfAbsent(key(name), k -> new SectionBuilder(name));
                continue;
            }
            if (current == null) {
                preamble.add(line);
                continue;
            }
            Optional<String> bullet = bulletText(line);
            boolean isBullet = bullet.isPresent() && !bullet.get().isBlank();
            if (isBullet) {
                current.bullets.add(collapse(bullet.get()));
            } else if (isContinuation(line) && current.lastWasBullet()) {
                int last = current.bullets.size() - 1;
                current.bullets.set(last, current.bullets.get(last) + " " + collapse(line));
                continue;
            } else if (!line.isBlank()) {
                current.prose.add(line);
            }
            current.lastLineBullet = isBullet;
        }
        List<Section> sections = new ArrayList<>();
        for (SectionBuilder section : byKey.values()) {
            sections.add(section.build());
        }
        return new MemoryDocument(trimBlank(preamble), sections);
    }

    /**
     * What follows a bullet's marker: the regex {@code ^ {0,3}[-*+]\s+(.*)$}, scanned by hand, as
     * hooks run this interpreted on every line (the regex cost SessionStart ~0.5 ms).
     */
    private static Optional<String> bulletText(String line) {
        int i = 0;
        while (i < 3 && i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        if (i == line.length() || "-*+".indexOf(line.charAt(i)) < 0) {
            return Optional.empty();
        }
        int text = ++i;
        while (text < line.length() && isRegexSpace(line.charAt(text))) {
            text++;
        }
        return text > i && !hasLineTerminator(line, text) ? Optional.of(line.substring(text)) : Optional.empty();
    }

    /** A bullet's continuation line, the regex {@code ^(\s{2,}|\t)\S.*$} scanned by hand. */
    private static boolean isContinuation(String line) {
        int indent = 0;
        while (indent < line.length() && isRegexSpace(line.charAt(indent))) {
            indent++;
        }
        boolean indented = indent >= 2 || indent == 1 && line.charAt(0) == '\t';
        return indented && indent < line.length() && !hasLineTerminator(line, indent + 1);
    }

    /** {@code \s} in a regex without flags. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** Whether a regex's {@code .} would stop before the end: a line terminator from {@code from} on. */
    private static boolean hasLineTerminator(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    /** The name of a {@code ## Name ##} heading line (closing hashes optional), scanned without a regex. */
    private static Optional<String> headingName(String line) {
        if (line.length() < 4 || !line.startsWith("##") || !Character.isWhitespace(line.charAt(2))) {
            return Optional.empty();
        }
        String rest = line.substring(3).strip();
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        int end = rest.length();
        while (end > 1 && rest.charAt(end - 1) == '#') {
            end--;
        }
        String name = rest.substring(0, end).strip();
        return Optional.of(name.isEmpty() ? rest.substring(0, 1) : name);
    }

    /** Canonical markdown, ending with one newline. */
    public String render() {
        StringBuilder out = new StringBuilder();
        for (String line : preamble) {
            out.append(line).append('\n');
        }
        for (Section section : ordered(sections)) {
            if (section.isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append("## ").append(section.name()).append('\n');
            section.prose().forEach(line -> out.append(line).append('\n'));
            section.bullets().forEach(bullet -> out.append("- ").append(bullet).append('\n'));
        }
        return out.toString();
    }

    public Optional<Section> section(String name) {
        String k = key(name);
        for (Section s : sections) {
            if (key(s.name()).equals(k)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public int bulletCount() {
        int count = 0;
        for (Section s : sections) {
            count += s.bullets().size();
        }
        return count;
    }

    /** Bullet count per non-empty section, in render order. */
    public Map<String, Integer> bulletsPerSection() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Section s : ordered(sections)) {
            if (!s.bullets().isEmpty()) {
                counts.put(s.name(), s.bullets().size());
            }
        }
        return counts;
    }

    public List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        for (Section s : ordered(sections)) {
            s.bullets().forEach(b -> all.add(new Entry(s.name(), b)));
        }
        return all;
    }

    /**
     * A bullet's identity (SPEC §4): its text without the provenance tag, whitespace collapsed,
     * lower case. Two bullets with the same identity are the same piece of knowledge.
     */
    public static String identity(String bullet) {
        int tag = Provenance.start(bullet);
        return collapse(tag < 0 ? bullet : bullet.substring(0, tag)).toLowerCase(Locale.ROOT);
    }

    /** Bullets added and removed from {@code before} to {@code after}; reordering is no change. */
    public static Delta delta(MemoryDocument before, MemoryDocument after) {
        Set<String> beforeIds = idsWithSection(before);
        Set<String> afterIds = idsWithSection(after);
        return new Delta(notIn(after.entries(), beforeIds), notIn(before.entries(), afterIds));
    }

    private static List<Entry> notIn(List<Entry> entries, Set<String> ids) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (!ids.contains(sectionedId(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * 3-way merge (SPEC §4). Per section: theirs, minus what ours deleted from base, plus what ours
     * added (appended in ours' order). Text outside bullets: the side that changed it, or theirs when
     * both did. The result is not yet capped: callers apply {@link #capped()} and log the drops.
     */
    public static MemoryDocument merge(MemoryDocument base, MemoryDocument ours, MemoryDocument theirs) {
        List<String> preamble = pickChanged(base.preamble, ours.preamble, theirs.preamble);
        List<String> names = new ArrayList<>();
        for (MemoryDocument doc : List.of(theirs, ours, base)) {
            for (Section s : doc.sections) {
                if (names.stream().noneMatch(n -> key(n).equals(key(s.name())))) {
                    names.add(s.name());
                }
            }
        }
        List<Section> merged = new ArrayList<>();
        for (String name : names) {
            Section b = base.section(name).orElse(emptySection(name));
            Section o = ours.section(name).orElse(emptySection(name));
            Section t = theirs.section(name).orElse(emptySection(name));
            merged.add(new Section(name, pickChanged(b.prose(), o.prose(), t.prose()),
                    mergeBullets(b.bullets(), o.bullets(), t.bullets())));
        }
        return new MemoryDocument(preamble, merged);
    }

    /**
     * This document within the hard cap, in one pass: every bullet over {@value #MAX_BULLET_CHARS}
     * characters is shortened (its provenance tag kept); then, while over {@value #MAX_BULLETS}
     * bullets or {@value #MAX_CHARS} characters, the topmost (oldest) bullet of the section with the
     * most bullets goes, and no more than that. Prose is shortened only when no bullet is left, so
     * the cap always holds.
     */
    public Capped capped() {
        List<Entry> shortened = new ArrayList<>();
        List<SectionBuilder> work = new ArrayList<>();
        for (Section section : ordered(sections)) {
            SectionBuilder builder = SectionBuilder.of(section);
            for (int i = 0; i < builder.bullets.size(); i++) {
                String bullet = builder.bullets.get(i);
                if (bullet.length() > MAX_BULLET_CHARS) {
                    shortened.add(new Entry(section.name(), bullet));
                    builder.bullets.set(i, shorten(bullet));
                }
            }
            work.add(builder);
        }
        List<String> pre = new ArrayList<>(preamble);
        List<Entry> dropped = new ArrayList<>();
        int bullets = work.stream().mapToInt(b -> b.bullets.size()).sum();
        int length = render(pre, work).length();
        while (bullets > MAX_BULLETS || length > MAX_CHARS) {
            SectionBuilder longest = null;
            for (SectionBuilder b : work) {
                if (!b.bullets.isEmpty() && (longest == null || b.bullets.size() > longest.bullets.size())) {
                    longest = b;
                }
            }
            SectionBuilder touched = longest != null ? longest
                    : work.stream().filter(b -> !b.prose.isEmpty()).findFirst().orElse(null);
            if (touched == null && !pre.isEmpty()) {
                String last = pre.remove(pre.size() - 1);
                length = pre.isEmpty() ? render(pre, work).length() : length - last.length() - 1;
                int room = MAX_CHARS - length - 1;
                if (room > 0 && length + last.length() + 1 > MAX_CHARS) {
                    pre.add(last.substring(0, room));
                    length = render(pre, work).length();
                }
                continue;
            }
            if (touched == null) {
                break;
            }
            int removed;
            if (longest != null) {
                String gone = longest.bullets.remove(0);
                dropped.add(new Entry(longest.name, gone));
                bullets--;
                removed = gone.length() + 3;
            } else {
                removed = touched.prose.remove(touched.prose.size() - 1).length() + 1;
            }
            length = touched.wasRendered && touched.isEmpty() ? render(pre, work).length() : length - removed;
        }
        return new Capped(new MemoryDocument(pre, work.stream().map(SectionBuilder::build).toList()),
                List.copyOf(dropped), List.copyOf(shortened));
    }

    /** A bullet cut to {@value #MAX_BULLET_CHARS} characters with a marker, its provenance tag kept. */
    static String shorten(String bullet) {
        int tag = Provenance.start(bullet);
        String suffix = tag < 0 ? "" : " " + bullet.substring(tag).strip();
        String body = tag < 0 ? bullet : bullet.substring(0, tag);
        int room = Math.max(0, MAX_BULLET_CHARS - SHORTENED.length() - suffix.length());
        return body.substring(0, Math.min(room, body.length())).stripTrailing() + SHORTENED + suffix;
    }

    /** Renders and marks which sections showed up, so a section that empties is noticed. */
    private static String render(List<String> pre, List<SectionBuilder> work) {
        for (SectionBuilder b : work) {
            b.wasRendered = !b.isEmpty();
        }
        return new MemoryDocument(pre, work.stream().map(SectionBuilder::build).toList()).render();
    }

    public static boolean isKnownSection(String name) {
        return isKnownKey(key(name));
    }

    private static boolean isKnownKey(String key) {
        return KNOWN_KEYS.contains(key);
    }

    private static List<String> keysOf(List<String> names) {
        List<String> keys = new ArrayList<>();
        for (String name : names) {
            keys.add(key(name));
        }
        return List.copyOf(keys);
    }

    private static List<String> mergeBullets(List<String> base, List<String> ours, List<String> theirs) {
        Set<String> baseIds = ids(base);
        Set<String> oursIds = ids(ours);
        Set<String> seen = new LinkedHashSet<>();
        List<String> result = new ArrayList<>();
        for (String t : theirs) {
            String id = identity(t);
            boolean deletedByOurs = baseIds.contains(id) && !oursIds.contains(id);
            if (!deletedByOurs && seen.add(id)) {
                result.add(t);
            }
        }
        for (String o : ours) {
            String id = identity(o);
            if (!baseIds.contains(id) && seen.add(id)) {
                result.add(o);
            }
        }
        return result;
    }

    private static List<String> pickChanged(List<String> base, List<String> ours, List<String> theirs) {
        return ours.equals(base) ? theirs : theirs.equals(base) ? ours : theirs;
    }

    /** Known sections in their order, then the others as they come (loops: hooks run this interpreted). */
    private static List<Section> ordered(List<Section> sections) {
        List<String> keys = new ArrayList<>();
        for (Section s : sections) {
            keys.add(key(s.name()));
        }
        List<Section> out = new ArrayList<>();
        for (String knownKey : KNOWN_KEYS) {
            for (int i = 0; i < sections.size(); i++) {
                if (keys.get(i).equals(knownKey)) {
                    out.add(sections.get(i));
                }
            }
        }
        for (int i = 0; i < sections.size(); i++) {
            if (!isKnownKey(keys.get(i))) {
                out.add(sections.get(i));
            }
        }
        return out;
    }

    private static Set<String> ids(List<String> bullets) {
        Set<String> ids = new LinkedHashSet<>();
        bullets.forEach(b -> ids.add(identity(b)));
        return ids;
    }

    private static Set<String> idsWithSection(MemoryDocument doc) {
        Set<String> ids = new LinkedHashSet<>();
        doc.entries().forEach(e -> ids.add(sectionedId(e)));
        return ids;
    }

    private static String sectionedId(Entry e) {
        return key(e.section()) + "\n" + identity(e.bullet());
    }

    private static Section emptySection(String name) {
        return new Section(name, List.of(), List.of());
    }

    private static String canonicalName(String name) {
        String trimmed = collapse(name);
        int known = KNOWN_KEYS.indexOf(key(trimmed));
        return known >= 0 ? KNOWN_SECTIONS.get(known) : trimmed;
    }

    private static String key(String name) {
        return collapse(name).toLowerCase(Locale.ROOT);
    }

    /** Trimmed, each run of whitespace one space: a plain loop, as hooks run it interpreted on every bullet. */
    private static String collapse(String s) {
        String stripped = s.strip();
        StringBuilder out = null;
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            boolean space = Character.isWhitespace(c);
            boolean run = space && (c != ' ' || i + 1 < stripped.length() && Character.isWhitespace(stripped.charAt(i + 1)));
            if (out == null && run) {
                out = new StringBuilder(stripped.length()).append(stripped, 0, i);
            }
            if (out != null && (!space || out.charAt(out.length() - 1) != ' ')) {
                out.append(space ? ' ' : c);
            }
        }
        return out == null ? stripped : out.toString();
    }

    private static List<String> trimBlank(List<String> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        return lines.subList(from, to);
    }

    private static final class SectionBuilder {
        final String name;
        final List<String> prose = new ArrayList<>();
        final List<String> bullets = new ArrayList<>();
        boolean lastLineBullet;
        boolean wasRendered;

        SectionBuilder(String name) {
            this.name = name;
        }

        static SectionBuilder of(Section s) {
            SectionBuilder b = new SectionBuilder(s.name());
            b.prose.addAll(s.prose());
            b.bullets.addAll(s.bullets());
            return b;
        }

        boolean isEmpty() {
            return bullets.isEmpty() && prose.stream().allMatch(String::isBlank);
        }

        boolean lastWasBullet() {
            return lastLineBullet && !bullets.isEmpty();
        }

        Section build() {
            return new Section(name, prose, bullets);
        }
    }
}
