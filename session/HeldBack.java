package session;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import local.JsonValues;
import local.LogFile;
import local.StateFiles;
import memory.MemoryDocument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Entries the distiller held back for a person ({@code .wyren/state/held-back.json}, never shared):
 * each with why, and the transcript lines it came from. {@code wyren review} publishes or discards
 * them; {@code wyren status} counts them.
 */
public record HeldBack(List<Entry> entries) {

    /** More than this and the oldest go (logged): a runaway engine cannot grow the file without bound. */
    public static final int MAX = 200;

    /**
     * One held-back entry.
     *
     * @param id      stable short id of its section and identity, what {@code wyren review} takes
     * @param reasons machine-readable ({@link Vetting.Reason} names), in the order of {@code details}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(String id, String at, String session, String section, String bullet, List<String> reasons,
                        List<String> details, List<String> sourceLines) {
        public Entry {
            reasons = List.copyOf(reasons);
            details = List.copyOf(details);
            sourceLines = List.copyOf(sourceLines);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public MemoryDocument.Entry memoryEntry() {
            return new MemoryDocument.Entry(section, bullet);
        }
    }

    public HeldBack {
        entries = List.copyOf(entries);
    }

    /** The id of an entry: the first 8 hex digits of the SHA-256 of its section and identity. */
    public static String idOf(MemoryDocument.Entry entry) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((entry.section().toLowerCase(java.util.Locale.ROOT) + "\n"
                    + MemoryDocument.identity(entry.bullet())).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static HeldBack read(Path file, LogFile log) {
        return StateFiles.read(file, CODEC, log);
    }

    public static HeldBack update(Path file, LogFile log, UnaryOperator<HeldBack> change) throws IOException {
        return StateFiles.update(file, CODEC, log, change);
    }

    /** These and {@code more}; an entry held again replaces its earlier record; the oldest beyond {@link #MAX} go. */
    public HeldBack with(List<Entry> more) {
        Map<String, Entry> byId = new LinkedHashMap<>();
        entries.forEach(e -> byId.put(e.id(), e));
        more.forEach(e -> {
            byId.remove(e.id());
            byId.put(e.id(), e);
        });
        List<Entry> all = new ArrayList<>(byId.values());
        return new HeldBack(all.subList(Math.max(0, all.size() - MAX), all.size()));
    }

    public HeldBack without(String id) {
        return new HeldBack(entries.stream().filter(e -> !e.id().equals(id)).toList());
    }

    public Optional<Entry> find(String id) {
        return entries.stream().filter(e -> e.id().equalsIgnoreCase(id.strip())).findFirst();
    }

    static final StateFiles.Codec<HeldBack> CODEC = new StateFiles.Codec<>() {
        public HeldBack defaults() {
            return new HeldBack(List.of());
        }

        public HeldBack fromJson(Map<String, Object> json) {
            List<Entry> entries = new ArrayList<>();
            for (Object item : JsonValues.list(json, "entries").orElse(List.of())) {
                if (item instanceof Map<?, ?> raw && entries.size() < MAX) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> e = (Map<String, Object>) raw;
                    Optional<String> bullet = JsonValues.string(e, "bullet");
                    Optional<String> section = JsonValues.string(e, "section");
                    if (bullet.isPresent() && section.isPresent()) {
                        MemoryDocument.Entry entry = new MemoryDocument.Entry(section.get(), bullet.get());
                        entries.add(new Entry(idOf(entry), JsonValues.string(e, "at").orElse(""), JsonValues.string(e, "session").orElse(""),
                                section.get(), bullet.get(), strings(e, "reasons"), strings(e, "details"), strings(e, "source_lines")));
                    }
                }
            }
            return new HeldBack(entries);
        }

        public Map<String, Object> toJson(HeldBack held) {
            List<Object> entries = new ArrayList<>();
            for (Entry e : held.entries()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("id", e.id());
                json.put("at", e.at());
                json.put("session", e.session());
                json.put("section", e.section());
                json.put("bullet", e.bullet());
                json.put("reasons", e.reasons());
                json.put("details", e.details());
                json.put("source_lines", e.sourceLines());
                entries.add(json);
            }
            return Map.of("entries", entries);
        }
    };

    private static List<String> strings(Map<String, Object> json, String key) {
        return JsonValues.list(json, key).orElse(List.of()).stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
}
