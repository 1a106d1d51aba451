package memory;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret redaction (SPEC §8.7), applied to everything before it leaves the machine. Precision over
 * recall: each rule matches what is surely a secret (a known token shape, or a value assigned to a
 * key named like a secret) and replaces only the secret part with {@code [redacted:<kind>]}.
 */
public final class Redactor {

    /** The redacted text and how many secrets were replaced. */
    public record Result(String text, int count) {}

    private record Rule(Pattern pattern, Function<Matcher, String> replacement) {}

    private static final String NOT_REDACTED = "(?!\\[redacted)";

    private static final List<Rule> RULES = List.of(
            fixed("private-key", "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?"
                    + "(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\\z)"),
            fixed("aws-access-key", "\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\\b"),
            fixed("github-token", "\\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"),
            fixed("gitlab-token", "\\bglpat-[A-Za-z0-9_-]{20,}"),
            fixed("slack-token", "\\bxox[abposr]-[A-Za-z0-9-]{10,}"),
            fixed("api-key", "\\bsk-[A-Za-z0-9_-]{20,}"),
            fixed("jwt", "\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"),
            new Rule(Pattern.compile("(?i)\\b(bearer\\s+)" + NOT_REDACTED + "([A-Za-z0-9._~+/=-]{16,})"),
                    m -> m.group(1) + "[redacted:bearer-token]"),
            new Rule(Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*://)([^\\s/:@\\[]+):([^\\s/@]+)@"),
                    m -> m.group(1) + "[redacted:url-credentials]@"),
            new Rule(Pattern.compile("(?i)\\b([A-Za-z0-9_.-]*(password|passwd|pwd|secret|token|api[_-]?key"
                    + "|access[_-]?key|private[_-]?key)[A-Za-z0-9_.-]*)(\\s*[:=]\\s*)([\"']?)" + NOT_REDACTED
                    + "([^\\s\"',;$<{][^\\s\"',;]{3,})"),
                    Redactor::assignment));

    private Redactor() {
    }

    public static Result redact(String text) {
        String current = text;
        int count = 0;
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(current);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String replacement = rule.replacement().apply(m);
                if (!replacement.equals(m.group())) {
                    count++;
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            current = out.toString();
        }
        return new Result(current, count);
    }

    private static Rule fixed(String kind, String regex) {
        return new Rule(Pattern.compile(regex), m -> "[redacted:" + kind + "]");
    }

    /** {@code key=value} where the key names a secret: a value that looks like one is replaced. */
    private static String assignment(Matcher m) {
        String value = m.group(5);
        boolean looksSecret = value.length() >= 8 || value.chars().anyMatch(Character::isDigit);
        if (!looksSecret) {
            return m.group();
        }
        String word = m.group(2).toLowerCase(Locale.ROOT);
        String kind = word.startsWith("pass") || word.equals("pwd") ? "password"
                : word.startsWith("api") || word.endsWith("key") ? "api-key"
                : word;
        return m.group(1) + m.group(3) + m.group(4) + "[redacted:" + kind + "]";
    }
}
