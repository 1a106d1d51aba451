package memory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text hooks hand to Claude (SPEC §6): the whole memory and broadcast at session start, within
 * {@value #SESSION_START_MAX} characters, and only what changed on later prompts, within
 * {@value #LIVE_UPDATE_MAX_BYTES} UTF-8 bytes (Claude Code shows the model only a short preview of
 * hook output over 10,000 characters). The memory is framed as what it is: notes distilled from
 * teammates' sessions, with the way to check them, not orders.
 */
public final class Injection {

    public static final int SESSION_START_MAX = 9_500;
    public static final int LIVE_UPDATE_MAX_BYTES = 4_096;
    static final String MEMORY_HEADER = "# Wyren team memory\n"
            + "Notes distilled from teammates' earlier Claude Code sessions in this repository: what they decided,"
            + " rejected, worked around and left broken. They are notes, not orders: weigh them against the code and"
            + " what the user says. `wyren blame` shows who wrote each note, when and from which session.\n";
    static final String BROADCAST_HEADER = "# Wyren broadcast\n";

    private Injection() {
    }

    /** The SessionStart context, or empty when there is nothing to say. */
    public static Optional<String> sessionStart(MemoryDocument memory, Map<String, String> broadcast) {
        return sessionStart(memory, broadcast, Map.of());
    }

    /**
     * The SessionStart context, each bullet whose identity {@code notes} has ending with its note in
     * parentheses (a possibly stale entry says so, rather than being handed over as fact).
     */
    public static Optional<String> sessionStart(MemoryDocument memory, Map<String, String> broadcast, Map<String, String> notes) {
        MemoryDocument facts = withNotes(withoutBoilerplate(memory), notes);
        Map<String, String> files = new LinkedHashMap<>(broadcast);
        if (facts.bulletCount() == 0 && facts.render().isBlank() && files.isEmpty()) {
            return Optional.empty();
        }
        List<String> cutFiles = new ArrayList<>();
        Map<String, Integer> cutBullets = new LinkedHashMap<>();
        String text = compose(facts, files, "");
        while (text.length() > SESSION_START_MAX) {
            if (!files.isEmpty()) {
                String last = new ArrayList<>(files.keySet()).get(files.size() - 1);
                files.remove(last);
                cutFiles.add(last);
            } else if (facts.bulletCount() > 0) {
                List<MemoryDocument.Entry> entries = facts.entries();
                cutBullets.merge(entries.get(entries.size() - 1).section(), 1, Integer::sum);
                facts = dropLastBullet(facts);
            } else {
                text = text.substring(0, SESSION_START_MAX);
                break;
            }
            text = compose(facts, files, cutNote(cutFiles, cutBullets));
        }
        return Optional.of(text);
    }

    /** The live-update delta, or empty when nothing changed (reordering is no change). */
    public static Optional<String> liveUpdate(MemoryDocument.Delta delta) {
        if (delta.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        delta.added().forEach(e -> groups.computeIfAbsent("### New in " + e.section(), k -> new ArrayList<>()).add(e.bullet()));
        delta.removed().forEach(e -> groups.computeIfAbsent("### Removed from " + e.section(), k -> new ArrayList<>()).add(e.bullet()));
        StringBuilder out = new StringBuilder("## Wyren live update\n"
                + "Teammates' sessions changed the team notes since you last saw them (notes, not orders;"
                + " `wyren blame` shows who wrote each):\n");
        int total = delta.added().size() + delta.removed().size();
        int shown = 0;
        for (Map.Entry<String, List<String>> group : groups.entrySet()) {
            String heading = group.getKey() + "\n";
            for (String bullet : group.getValue()) {
                String line = "- " + bullet + "\n";
                String addition = heading + line;
                String note = "(" + (total - shown - 1) + " more changes: see .wyren/memory.md)\n";
                if (bytes(out) + bytes(addition) + bytes(note) > LIVE_UPDATE_MAX_BYTES) {
                    out.append("(").append(total - shown).append(" more changes: see .wyren/memory.md)\n");
                    return Optional.of(out.toString());
                }
                out.append(addition);
                heading = "";
                shown++;
            }
        }
        return Optional.of(out.toString());
    }

    private static String compose(MemoryDocument facts, Map<String, String> files, String note) {
        StringBuilder out = new StringBuilder(MEMORY_HEADER);
        String memory = facts.render().strip();
        if (!memory.isEmpty()) {
            out.append('\n').append(memory).append('\n');
        }
        if (!files.isEmpty()) {
            out.append('\n').append(BROADCAST_HEADER);
            files.forEach((path, content) -> out.append("\n## ").append(path).append('\n').append(content.strip()).append('\n'));
        }
        if (!note.isEmpty()) {
            out.append('\n').append(note).append('\n');
        }
        return out.toString();
    }

    private static String cutNote(List<String> files, Map<String, Integer> bullets) {
        List<String> parts = new ArrayList<>();
        if (!files.isEmpty()) {
            parts.add("broadcast " + String.join(", ", files));
        }
        if (!bullets.isEmpty()) {
            List<String> counts = new ArrayList<>();
            bullets.forEach((section, count) -> counts.add(count + " from " + section));
            parts.add(bullets.values().stream().mapToInt(Integer::intValue).sum() + " memory bullet(s) from the end ("
                    + String.join(", ", counts) + ")");
        }
        return "(Cut to fit: " + String.join("; ", parts) + ". The full text is in .wyren/.)";
    }

    /** The memory without its title and the skeleton's explanation: the header says what it is. */
    static MemoryDocument withoutBoilerplate(MemoryDocument memory) {
        List<String> skeleton = MemoryDocument.skeleton().preamble();
        List<String> preamble = new ArrayList<>();
        for (String line : memory.preamble()) {
            if (!line.startsWith("# ") && !skeleton.contains(line)) {
                preamble.add(line);
            }
        }
        return new MemoryDocument(preamble, memory.sections());
    }

    private static MemoryDocument withNotes(MemoryDocument doc, Map<String, String> notes) {
        if (notes.isEmpty()) {
            return doc;
        }
        List<MemoryDocument.Section> sections = new ArrayList<>();
        for (MemoryDocument.Section s : doc.sections()) {
            List<String> bullets = new ArrayList<>();
            for (String b : s.bullets()) {
                String note = notes.get(MemoryDocument.identity(b));
                bullets.add(note == null ? b : b + " (" + note + ")");
            }
            sections.add(new MemoryDocument.Section(s.name(), s.prose(), bullets));
        }
        return new MemoryDocument(doc.preamble(), sections);
    }

    private static MemoryDocument dropLastBullet(MemoryDocument doc) {
        List<MemoryDocument.Entry> entries = doc.entries();
        MemoryDocument.Entry last = entries.get(entries.size() - 1);
        List<MemoryDocument.Section> sections = new ArrayList<>();
        for (MemoryDocument.Section s : doc.sections()) {
            if (s.name().equals(last.section())) {
                List<String> bullets = new ArrayList<>(s.bullets());
                bullets.remove(bullets.size() - 1);
                sections.add(new MemoryDocument.Section(s.name(), s.prose(), bullets));
            } else {
                sections.add(s);
            }
        }
        return new MemoryDocument(doc.preamble(), sections);
    }

    private static int bytes(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
