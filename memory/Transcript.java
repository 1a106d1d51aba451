package memory;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Claude Code session transcript (JSONL) read for distillation (SPEC §8.1–2).
 *
 * <p>Keeps {@code user} and {@code assistant} lines only; skips sidechain, meta and compact-summary
 * lines, every other line type, and lines that do not parse (the last one may be half written).
 * Assistant replies arrive as one line per content block: consecutive assistant lines form one
 * block. Turns are numbered from the start of the file, so provenance tags stay stable across
 * slices; a turn starts at each user prompt that is not a tool result.
 */
public final class Transcript {

    /** Slice cap: the newest turns that fit in this many characters are kept. */
    public static final int SLICE_CAP = 60_000;
    static final int TOOL_INPUT_CAP = 400;
    static final int TOOL_RESULT_CAP = 800;

    /**
     * One block of the conversation.
     *
     * @param text  as rendered for the prompt: tool calls and results inline, capped
     * @param prose what the user or assistant said, without tool input or output
     */
    public record Block(int turn, String role, String text, String prose) {}

    /** Edits made in a slice (tool calls that change files), counted for the signal filter. */
    public record Slice(List<Block> blocks, int edits, Optional<String> lastUuid, int turns) {
        public boolean isEmpty() {
            return blocks.isEmpty();
        }

        /** Rendered for the prompt: {@code [turn N, role]} blocks, newest within {@link #SLICE_CAP}. */
        public String render() {
            List<String> rendered = new ArrayList<>();
            for (Block b : blocks) {
                rendered.add("[turn " + b.turn() + ", " + b.role() + "]\n" + b.text() + "\n");
            }
            int total = 0;
            int from = rendered.size();
            while (from > 0 && total + rendered.get(from - 1).length() + 1 <= SLICE_CAP) {
                total += rendered.get(--from).length() + 1;
            }
            if (from == rendered.size() && !rendered.isEmpty()) {
                String last = rendered.get(rendered.size() - 1);
                return last.substring(last.length() - SLICE_CAP);
            }
            return String.join("\n", rendered.subList(from, rendered.size()));
        }
    }

    private Transcript() {
    }

    /**
     * The part of the transcript after the line with uuid {@code watermark} (the whole file when the
     * watermark is empty or not found).
     */
    public static Slice read(Path file, Optional<String> watermark) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                parse(line).ifPresent(lines::add);
            }
        }
        int start = 0;
        if (watermark.isPresent()) {
            for (int i = 0; i < lines.size(); i++) {
                if (watermark.get().equals(lines.get(i).path("uuid").asText())) {
                    start = i + 1;
                    break;
                }
            }
        }
        List<Block> blocks = new ArrayList<>();
        int turn = 0;
        int edits = 0;
        int turnsInSlice = 0;
        Optional<String> lastUuid = Optional.empty();
        StringBuilder assistant = null;
        StringBuilder assistantProse = null;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode node = lines.get(i);
            boolean inSlice = i >= start;
            String uuid = node.path("uuid").asText("");
            if (inSlice && !uuid.isEmpty()) {
                lastUuid = Optional.of(uuid);
            }
            if (!isConversation(node)) {
                continue;
            }
            String type = node.path("type").asText();
            JsonNode content = node.path("message").path("content");
            if (type.equals("user") && !isToolResult(content)) {
                if (assistant != null && assistant.length() > 0) {
                    blocks.add(new Block(turn, "assistant", assistant.toString(), assistantProse.toString()));
                }
                assistant = null;
                turn++;
                if (inSlice) {
                    turnsInSlice++;
                    String text = userText(content);
                    if (!text.isBlank()) {
                        blocks.add(new Block(turn, "user", text.strip(), text.strip()));
                    }
                }
                continue;
            }
            if (!inSlice) {
                continue;
            }
            if (assistant == null) {
                assistant = new StringBuilder();
                assistantProse = new StringBuilder();
            }
            if (type.equals("assistant")) {
                for (JsonNode block : blocksOf(content)) {
                    switch (block.path("type").asText()) {
                        case "text" -> {
                            append(assistant, block.path("text").asText());
                            append(assistantProse, block.path("text").asText());
                        }
                        case "tool_use" -> {
                            String name = block.path("name").asText("tool");
                            if (isEdit(name)) {
                                edits++;
                            }
                            append(assistant, "[tool_use " + name + "] " + cap(block.path("input").toString(), TOOL_INPUT_CAP));
                        }
                        default -> {
                            // thinking, redacted_thinking, images: not part of what the team needs to remember
                        }
                    }
                }
            } else {
                for (JsonNode block : blocksOf(content)) {
                    if (block.path("type").asText().equals("tool_result")) {
                        append(assistant, "[tool_result] " + cap(textOf(block.path("content")), TOOL_RESULT_CAP));
                    }
                }
            }
        }
        if (assistant != null && assistant.length() > 0) {
            blocks.add(new Block(turn, "assistant", assistant.toString(), assistantProse.toString()));
        }
        return new Slice(blocks, edits, lastUuid, turnsInSlice);
    }

    /** The session id recorded in a transcript's lines, if any. */
    public static Optional<String> sessionId(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                Optional<String> id = parse(line).map(n -> n.path("sessionId").asText("")).filter(s -> !s.isEmpty());
                if (id.isPresent()) {
                    return id;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> parse(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(line);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isConversation(JsonNode node) {
        String type = node.path("type").asText();
        return (type.equals("user") || type.equals("assistant"))
                && !node.path("isSidechain").asBoolean(false)
                && !node.path("isMeta").asBoolean(false)
                && !node.path("isCompactSummary").asBoolean(false);
    }

    private static boolean isToolResult(JsonNode content) {
        for (JsonNode block : blocksOf(content)) {
            if (block.path("type").asText().equals("tool_result")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEdit(String toolName) {
        return switch (toolName) {
            case "Edit", "MultiEdit", "Write", "NotebookEdit" -> true;
            default -> false;
        };
    }

    private static String userText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : blocksOf(content)) {
            switch (block.path("type").asText()) {
                case "text" -> append(text, block.path("text").asText());
                case "image" -> append(text, "[image]");
                default -> {
                    // documents and other attachments are not conversation
                }
            }
        }
        return text.toString();
    }

    private static List<JsonNode> blocksOf(JsonNode content) {
        List<JsonNode> blocks = new ArrayList<>();
        if (content.isArray()) {
            content.forEach(blocks::add);
        }
        return blocks;
    }

    private static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : blocksOf(content)) {
            if (block.path("type").asText().equals("text")) {
                append(text, block.path("text").asText());
            }
        }
        return text.toString();
    }

    private static void append(StringBuilder out, String text) {
        if (text.isBlank()) {
            return;
        }
        if (out.length() > 0) {
            out.append('\n');
        }
        out.append(text.strip());
    }

    static String cap(String text, int max) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }
}
