package session;

import memory.MemoryDocument;
import memory.Provenance;
import memory.Redactor;

import java.net.URI;
import java.time.Instant;
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
 * <p>Every pattern here runs on at most {@link #MAX_CHECKED} characters and every repetition in them is
 * bounded, so no input makes them backtrack for long.
 */
public final class Vetting {

    /** Why an entry was held back: stable, machine-readable names. */
    public enum Reason { ONLY_IN_TOOL_OUTPUT, RUNNABLE_COMMAND, PIPE_TO_SHELL, FOREIGN_URL, WEAKENS_SECURITY }

    public record Concern(Reason reason, String detail) {}

    /**
     * The words of what people said in the slice (the user, the assistant and its tool calls, and the
     * memory they already share), and the words found only in tool output.
     */
    public record Evidence(Set<String> said, Set<String> toolOutput) {
        public static Evidence of(Transcript.Slice slice, MemoryDocument current) {
            Set<String> said = new HashSet<>(words(current.render()));
            Set<String> toolOutput = new HashSet<>();
            for (Transcript.Block block : slice.blocks()) {
                said.addAll(words(block.prose()));
                // The assistant's own tool calls (its commands, the code it writes) are what it said.
                block.lines().forEach(line -> (line.toolOutput() ? toolOutput : said).addAll(words(line.text())));
            }
            toolOutput.removeAll(said);
            return new Evidence(said, toolOutput);
        }
    }

    /** Share of an entry's words that must come from tool output alone, and outnumber the said ones, to hold it. */
    static final double TOOL_ONLY_SHARE = 0.4;

    private static final Pattern PIPE_TO_SHELL = Pattern.compile(
            "\\|\\s{0,4}(?:sudo(?:\\s{1,4}-[a-z]{1,4}){0,3}\\s{1,4})?(?:/usr)?(?:/local)?(?:/bin/)?"
                    + "(?:(?:ba|z|k|da|fi)?sh|python[0-9.]{0,4}|perl|ruby|node|iex|pwsh|powershell)\\b",
            Pattern.CASE_INSENSITIVE);
    /**
     * Command forms that fetch or run code, or change the machine, wherever they appear. A bare word
     * ("sudo is not available", "the eval harness") is not a command; in a code span it is, below.
     */
    private static final Pattern RUNNABLE = Pattern.compile(
            "(?:^|[\\s`$(;&|])((?:curl|wget)\\s{1,4}(?:-|https?://|ftp://)"
                    + "|sudo\\s{1,4}(?:-[a-z]{1,4}\\s{1,4}){0,2}(?:rm|apt|apt-get|yum|dnf|apk|chmod|chown|sh|bash|npm|pip3?|gem|make"
                    + "|systemctl|mv|cp|tee|docker|install|curl|wget)\\b"
                    + "|(?:ba)?sh\\s{1,4}-c\\b|rm\\s{1,4}-[a-z]{0,4}[rf]|dd\\s{1,4}if=|base64\\s{1,4}(?:-d|--decode)"
                    + "|invoke-expression|invoke-webrequest|iex\\s{0,4}\\(|nc\\s{1,4}-[a-z]{1,4}\\s"
                    + "|(?:python[0-9.]{0,4}|node|perl|ruby)\\s{1,4}-[ce]\\s|git\\s{1,4}config\\s{1,4}--global"
                    + "|(?:npm|pnpm|yarn)\\s{1,4}(?:i|install|add)\\s{1,4}(?:-g|--global)|npx\\s{1,4}[^\\s@`]{1,100}@"
                    + "|pip[0-9]?\\s{1,4}install\\s{1,4}(?!-r\\b|-e\\s{1,4}\\.)|gem\\s{1,4}install|(?:apt|apt-get|yum|dnf|brew|apk)\\s{1,4}install"
                    + "|docker\\s{1,4}run|kubectl\\s{1,4}(?:apply|exec)|chmod\\s{1,4}(?:-r\\s{1,4})?(?:[0-7]{3,4}|[ugoa]{0,3}\\+x))",
            Pattern.CASE_INSENSITIVE);
    /** Programs that, as the first word of a code span, make it a command to run on the machine. */
    private static final Set<String> CODE_SPAN_COMMANDS = Set.of("curl", "wget", "sudo", "eval", "exec", "bash", "sh", "zsh",
            "chmod", "chown", "rm", "dd", "nc", "ncat", "powershell", "pwsh", "iex", "setx", "export", "source");
    private static final String WEAKEN_VERB = "(?:disabl|skip|turn(?:ing)?\\s{1,4}off|bypass|ignor)\\w{0,4}\\s{1,4}(?:the\\s{1,4})?";
    private static final String CHECK = "(?:verification|validation|verify|checks?|checking|errors?)";
    private static final Pattern WEAKENS = Pattern.compile(
            WEAKEN_VERB + "(?:tls|ssl|https)\\s{1,4}(?:(?:certificate|cert)s?\\s{1,4})?" + CHECK
                    + "|" + WEAKEN_VERB + "(?:certificate|cert)s?\\s{1,4}" + CHECK
                    + "|(?:tls|ssl|certificate|cert)\\s{1,4}(?:verification|validation|checks?|checking)\\s{1,4}(?:is\\s{1,4}|are\\s{1,4})?"
                    + "(?:disabled|off|skipped|bypassed)"
                    + "|verify\\s{0,2}=\\s{0,2}false|--insecure\\b|node_tls_reject_unauthorized|pythonhttpsverify\\s{0,2}=\\s{0,2}0"
                    + "|git_ssl_no_verify|strict-ssl\\s{1,4}false|rejectunauthorized\\s{0,2}:\\s{0,2}false|sslverify\\s{0,2}=?\\s{0,2}false"
                    + "|stricthostkeychecking\\s{0,2}=?\\s{0,2}no|chmod\\s{1,4}(?:-r\\s{1,4})?777",
            Pattern.CASE_INSENSITIVE);
    /** Longer text is cut before it is checked: a bullet is at most 500 characters once capped. */
    static final int MAX_CHECKED = 4 * MemoryDocument.MAX_BULLET_CHARS;
    private static final Set<String> STOP_WORDS = Set.of("that", "this", "with", "from", "have", "were", "will", "when", "then",
            "than", "they", "them", "their", "there", "what", "which", "into", "only", "also", "should", "would", "could", "about",
            "after", "before", "because", "every", "other", "some", "such", "does", "done", "make", "made", "used", "uses", "using",
            "need", "needs", "team", "instead", "still", "keep", "always", "never", "must", "turn", "your", "just", "like", "here");

    private Vetting() {
    }

    /** The distilled memory without the held-back entries, and those entries. */
    public record Vetted(MemoryDocument memory, List<HeldBack.Entry> held) {}

    /** Transcript lines kept with a held-back entry, for the person who reviews it. */
    static final int SOURCE_LINES = 6;

    /**
     * Checks each entry the engine added (entries already in the memory are not judged again) and
     * takes out those with a concern. In a section where one was taken out, the entries the engine
     * removed stay: the held-back one may have been meant to replace them, and that is for the
     * reviewer to decide.
     */
    public static Vetted vet(String sessionId, Transcript.Slice slice, MemoryDocument current, MemoryDocument distilled,
                             Optional<String> remoteUrl) {
        Evidence evidence = Evidence.of(slice, current);
        List<HeldBack.Entry> held = new ArrayList<>();
        String at = Instant.now().toString();
        for (MemoryDocument.Entry added : MemoryDocument.delta(current, distilled).added()) {
            List<Concern> concerns = concerns(added.bullet(), evidence, remoteUrl);
            if (!concerns.isEmpty()) {
                held.add(new HeldBack.Entry(HeldBack.idOf(added), at, sessionId, added.section(), added.bullet(),
                        concerns.stream().map(c -> c.reason().name().toLowerCase(Locale.ROOT)).toList(),
                        concerns.stream().map(Concern::detail).toList(),
                        sourceLines(added.bullet(), slice, SOURCE_LINES).stream().map(l -> Redactor.redact(l).text()).toList()));
            }
        }
        if (held.isEmpty()) {
            return new Vetted(distilled, List.of());
        }
        Set<String> heldIds = new HashSet<>();
        Set<String> heldSections = new HashSet<>();
        held.forEach(h -> {
            heldIds.add(h.section().toLowerCase(Locale.ROOT) + "\n" + MemoryDocument.identity(h.bullet()));
            heldSections.add(h.section().toLowerCase(Locale.ROOT));
        });
        List<MemoryDocument.Section> sections = new ArrayList<>();
        for (MemoryDocument.Section s : distilled.sections()) {
            String key = s.name().toLowerCase(Locale.ROOT);
            List<String> bullets = new ArrayList<>(s.bullets().stream()
                    .filter(b -> !heldIds.contains(key + "\n" + MemoryDocument.identity(b))).toList());
            if (heldSections.contains(key)) {
                Set<String> kept = new HashSet<>();
                bullets.forEach(b -> kept.add(MemoryDocument.identity(b)));
                current.section(s.name()).ifPresent(c -> c.bullets().stream()
                        .filter(b -> !kept.contains(MemoryDocument.identity(b))).forEach(bullets::add));
            }
            sections.add(new MemoryDocument.Section(s.name(), s.prose(), bullets));
        }
        return new Vetted(new MemoryDocument(distilled.preamble(), sections), List.copyOf(held));
    }

    /** What is wrong with a new entry, if anything; {@code remoteUrl} is where the repository's own links point. */
    public static List<Concern> concerns(String bullet, Evidence evidence, Optional<String> remoteUrl) {
        String tagless = Provenance.withoutTag(bullet);
        String text = tagless.length() > MAX_CHECKED ? tagless.substring(0, MAX_CHECKED) : tagless;
        List<Concern> concerns = new ArrayList<>();
        Matcher pipe = PIPE_TO_SHELL.matcher(text);
        if (pipe.find()) {
            concerns.add(new Concern(Reason.PIPE_TO_SHELL, "pipes into a shell or interpreter: '" + pipe.group().strip() + "'"));
        }
        Matcher runnable = RUNNABLE.matcher(text);
        Optional<String> command = runnable.find() ? Optional.of(runnable.group(1).strip()) : codeSpanCommand(text);
        command.ifPresent(c -> concerns.add(new Concern(Reason.RUNNABLE_COMMAND,
                "carries a command that fetches or runs code or changes the machine: '" + c + "'")));
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
        Set<String> words = new HashSet<>(words(Provenance.withoutTag(bullet)));
        record Scored(int score, int order, String line) {}
        List<Scored> scored = new ArrayList<>();
        for (Transcript.Block block : slice.blocks()) {
            for (Transcript.Block.Line line : block.lines()) {
                int score = (int) words(line.text()).stream().distinct().filter(words::contains).count();
                if (score > 0) {
                    String shown = line.text().strip();
                    shown = shown.length() > 240 ? shown.substring(0, 240) + "…" : shown;
                    scored.add(new Scored(score, scored.size(), "[turn " + block.turn() + ", "
                            + (line.toolOutput() ? "tool output" : block.role()) + "] " + shown));
                }
            }
        }
        return scored.stream().sorted((a, b) -> a.score() != b.score() ? b.score() - a.score() : a.order() - b.order())
                .limit(max).sorted((a, b) -> a.order() - b.order()).map(Scored::line).toList();
    }

    /** The first word of a code span ({@code `...`}, a leading {@code $ } aside) when it is a program that runs or changes things. */
    static Optional<String> codeSpanCommand(String text) {
        int open = text.indexOf('`');
        while (open >= 0) {
            int close = text.indexOf('`', open + 1);
            if (close < 0) {
                return Optional.empty();
            }
            String span = text.substring(open + 1, close).strip();
            if (span.startsWith("$ ")) {
                span = span.substring(2).strip();
            }
            int end = 0;
            while (end < span.length() && !Character.isWhitespace(span.charAt(end))) {
                end++;
            }
            String first = span.substring(0, end).toLowerCase(Locale.ROOT);
            if (CODE_SPAN_COMMANDS.contains(first)) {
                return Optional.of(span.length() > 60 ? span.substring(0, 60) + "…" : span);
            }
            open = text.indexOf('`', close + 1);
        }
        return Optional.empty();
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
            String path = Optional.ofNullable(uri.getPath()).orElse("");
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            path = path.endsWith(".git") ? path.substring(0, path.length() - 4) : path;
            return Optional.of((uri.getHost() + path).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.of(u.toLowerCase(Locale.ROOT));
        }
    }
}
