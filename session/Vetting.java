package session;

import memory.MemoryDocument;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check of an engine's new entries before they can reach the team (issue: nothing planted
 * reaches the team). Tool output (files, command output, web pages) is data: an entry whose
 * substance is found only there, not in what the user or the assistant said, may be an instruction
 * planted for "AI memory systems", and so may one that carries a command that fetches or runs code,
 * a pipe into a shell, a link away from the repository's own remote, or advice that weakens security.
 * Such an entry is held back for a person ({@code wyren review}); the rest of the distillation lands.
 *
 * <p>Every pattern here runs on a bullet already capped at {@value MemoryDocument#MAX_BULLET_CHARS}
 * characters and none nests quantifiers, so no input makes them backtrack.
 */
public final class Vetting {

    /** Why an entry was held back: stable, machine-readable names. */
    public enum Reason { ONLY_IN_TOOL_OUTPUT, RUNNABLE_COMMAND, PIPE_TO_SHELL, FOREIGN_URL, WEAKENS_SECURITY }

    public record Concern(Reason reason, String detail) {}

    /** The words of what people said in the slice (and the memory they already share), and of the tool output. */
    public record Evidence(Set<String> said, Set<String> toolOutput) {
        public static Evidence of(Transcript.Slice slice, MemoryDocument current) {
            Set<String> said = new HashSet<>(words(current.render()));
            Set<String> all = new HashSet<>();
            for (Transcript.Block block : slice.blocks()) {
                said.addAll(words(block.prose()));
                all.addAll(words(block.text()));
            }
            all.removeAll(said);
            return new Evidence(said, all);
        }
    }

    /** Share of an entry's words that must come from tool output alone, and outnumber the said ones, to hold it. */
    static final double TOOL_ONLY_SHARE = 0.4;

    private static final Pattern PIPE_TO_SHELL = Pattern.compile(
            "\\|\\s{0,4}(?:sudo\\s{1,4})?(?:ba|z|k|da|fi)?sh\\b|\\|\\s{0,4}(?:sudo\\s{1,4})?(?:python[0-9.]{0,4}|perl|ruby|node|iex|pwsh|powershell)\\b",
            Pattern.CASE_INSENSITIVE);
    /** Commands that fetch or run code, or change the machine: never something a memory note should tell Claude to run. */
    private static final Pattern RUNNABLE = Pattern.compile(
            "(?:^|[\\s`$(;&])(curl|wget|sudo|eval|exec|chmod|chown|bash\\s{1,4}-c|sh\\s{1,4}-c|rm\\s{1,4}-[a-z]{0,4}[rf]|dd\\s{1,4}if="
                    + "|nc\\s{1,4}-|ncat|base64\\s{1,4}(?:-d|--decode)|iex|invoke-expression|invoke-webrequest|powershell|pwsh"
                    + "|(?:python[0-9.]{0,4}|node|perl|ruby)\\s{1,4}-[ce]|git\\s{1,4}config\\s{1,4}--global|setx"
                    + "|(?:npm|pnpm|yarn)\\s{1,4}(?:i|install|add)\\s{1,4}(?:-g|--global)|pip[0-9]?\\s{1,4}install|gem\\s{1,4}install"
                    + "|(?:apt|apt-get|yum|dnf|brew|apk)\\s{1,4}install|docker\\s{1,4}run|kubectl\\s{1,4}(?:apply|exec))(?=$|[\\s`'\")])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WEAKENS = Pattern.compile(
            "(?:disabl|skip|turn(?:ing)?\\s{1,4}off|bypass|ignor)\\w{0,4}\\s{1,4}(?:the\\s{1,4})?(?:tls|ssl|https|certificate|cert)\\b"
                    + "|(?:tls|ssl|certificate|cert)\\s{1,4}(?:verification|validation|checks?|checking)\\s{1,4}(?:is\\s{1,4}|are\\s{1,4})?(?:disabled|off|skipped|bypassed)"
                    + "|verify\\s{0,2}=\\s{0,2}false|--insecure\\b|node_tls_reject_unauthorized|stricthostkeychecking\\s{0,2}=?\\s{0,2}no"
                    + "|sslverify\\s{0,2}=?\\s{0,2}false|chmod\\s{1,4}(?:-r\\s{1,4})?777",
            Pattern.CASE_INSENSITIVE);
    private static final Set<String> STOP_WORDS = Set.of("that", "this", "with", "from", "have", "were", "will", "when", "then",
            "than", "they", "them", "their", "there", "what", "which", "into", "only", "also", "should", "would", "could", "about",
            "after", "before", "because", "every", "other", "some", "such", "does", "done", "make", "made", "used", "uses", "using",
            "need", "needs", "team", "instead", "still", "keep", "always", "never", "must", "turn", "your", "just", "like", "here");

    private Vetting() {
    }

    /** What is wrong with a new entry, if anything; {@code remoteUrl} is where the repository's own links point. */
    public static List<Concern> concerns(String bullet, Evidence evidence, Optional<String> remoteUrl) {
        String text = withoutTag(bullet);
        List<Concern> concerns = new ArrayList<>();
        Matcher pipe = PIPE_TO_SHELL.matcher(text);
        if (pipe.find()) {
            concerns.add(new Concern(Reason.PIPE_TO_SHELL, "pipes into a shell or interpreter: '" + pipe.group().strip() + "'"));
        }
        Matcher runnable = RUNNABLE.matcher(text);
        if (runnable.find()) {
            concerns.add(new Concern(Reason.RUNNABLE_COMMAND, "carries a command that fetches or runs code or changes the machine: '"
                    + runnable.group(1) + "'"));
        }
        foreignUrl(text, remoteUrl).ifPresent(url -> concerns.add(new Concern(Reason.FOREIGN_URL,
                "links outside the repository's own remote: " + url)));
        Matcher weakens = WEAKENS.matcher(text);
        if (weakens.find()) {
            concerns.add(new Concern(Reason.WEAKENS_SECURITY, "weakens security: '" + weakens.group() + "'"));
        }
        Set<String> words = new LinkedHashSet<>(words(text));
        if (words.size() >= 2) {
            long said = words.stream().filter(evidence.said()::contains).count();
            long toolOnly = words.stream().filter(evidence.toolOutput()::contains).count();
            if (toolOnly > said && toolOnly >= TOOL_ONLY_SHARE * words.size()) {
                concerns.add(new Concern(Reason.ONLY_IN_TOOL_OUTPUT, toolOnly + " of its " + words.size()
                        + " words appear only in tool output (files, command output, web pages), " + said + " in what was said"));
            }
        }
        return concerns;
    }

    /**
     * The slice lines an entry most likely came from: those sharing the most of its words, at most
     * {@code max}, each prefixed with its turn and who said it ({@code tool output} for fenced tool
     * results) and cut to 240 characters.
     */
    public static List<String> sourceLines(String bullet, Transcript.Slice slice, int max) {
        Set<String> words = new HashSet<>(words(withoutTag(bullet)));
        record Scored(int score, int order, String line) {}
        List<Scored> scored = new ArrayList<>();
        for (Transcript.Block block : slice.blocks()) {
            boolean toolOutput = false;
            for (String line : block.text().split("\n")) {
                if (line.equals(Transcript.TOOL_OUTPUT_OPEN)) {
                    toolOutput = true;
                    continue;
                }
                int score = (int) words(line).stream().distinct().filter(words::contains).count();
                if (score > 0) {
                    String shown = line.replace(Transcript.TOOL_OUTPUT_CLOSE, "").strip();
                    shown = shown.length() > 240 ? shown.substring(0, 240) + "…" : shown;
                    scored.add(new Scored(score, scored.size(), "[turn " + block.turn() + ", "
                            + (toolOutput ? "tool output" : block.role()) + "] " + shown));
                }
                toolOutput &= !line.endsWith(Transcript.TOOL_OUTPUT_CLOSE);
            }
        }
        return scored.stream().sorted((a, b) -> a.score() != b.score() ? b.score() - a.score() : a.order() - b.order())
                .limit(max).sorted((a, b) -> a.order() - b.order()).map(Scored::line).toList();
    }

    /** Lower-case words of four or more letters, digits or underscores, without common filler; one linear scan. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c) || c == '_') {
                word.append(Character.toLowerCase(c));
            } else if (word.length() > 0) {
                String w = word.toString();
                if (w.length() >= 4 && !STOP_WORDS.contains(w)) {
                    words.add(w);
                }
                word.setLength(0);
            }
        }
        return words;
    }

    /** The first link in {@code text} to a host other than the remote's (local addresses are fine). */
    static Optional<String> foreignUrl(String text, Optional<String> remoteUrl) {
        Optional<String> own = remoteUrl.flatMap(Vetting::hostAndPath);
        for (String token : text.split("[\\s<>()\\[\\]`'\"]+")) {
            String lower = token.toLowerCase(Locale.ROOT);
            boolean link = lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("ftp://")
                    || lower.startsWith("ssh://") || lower.startsWith("git@") || lower.startsWith("www.");
            if (!link) {
                continue;
            }
            Optional<String> target = hostAndPath(token);
            boolean local = target.filter(t -> t.startsWith("localhost") || t.startsWith("127.0.0.1") || t.startsWith("[::1]")).isPresent();
            boolean ours = own.isPresent() && target.filter(t -> t.equals(own.get()) || t.startsWith(own.get() + "/")).isPresent();
            if (!local && !ours) {
                return Optional.of(token.length() > 120 ? token.substring(0, 120) + "…" : token);
            }
        }
        return Optional.empty();
    }

    /** {@code host/path} of a URL or scp-style address, lower case, without {@code .git}, port or credentials. */
    private static Optional<String> hostAndPath(String url) {
        String u = url.strip();
        if (u.toLowerCase(Locale.ROOT).startsWith("www.")) {
            u = "https://" + u;
        } else if (u.startsWith("git@") && u.indexOf(':') > 0 && !u.contains("://")) {
            u = "ssh://" + u.substring(0, u.indexOf(':')) + "/" + u.substring(u.indexOf(':') + 1);
        }
        try {
            URI uri = URI.create(u);
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            String path = Optional.ofNullable(uri.getPath()).orElse("").replaceAll("/+$", "").replaceAll("\\.git$", "");
            return Optional.of((uri.getHost() + path).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.of(u.toLowerCase(Locale.ROOT));
        }
    }

    private static String withoutTag(String bullet) {
        int tag = MemoryDocument.provenanceStart(bullet);
        return tag < 0 ? bullet : bullet.substring(0, tag);
    }
}
