package memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link Redactor} knows about secrets: the token shapes it recognises by prefix, the chat
 * webhook hosts, the flags and words that announce a password, and the naming rule for
 * {@code KEY=value} pairs. Data and small pure checks, no scanning.
 */
final class SecretRules {

    /** A token shape known by its prefix: the atom starts with it and the rest has this length and alphabet. */
    record Shape(String prefix, int minRest, int maxRest, String alphabet, String kind) {}

    private static final String ALNUM = "a-zA-Z0-9";
    private static final String WORD = "a-zA-Z0-9_-";
    private static final String UPPER_NUM = "A-Z0-9";
    private static final String HEX = "a-f0-9";

    static final List<Shape> SHAPES = List.of(
            aws("AKIA"), aws("ASIA"), aws("AGPA"), aws("AIDA"), aws("AROA"), aws("ANPA"), aws("ANVA"), aws("AIPA"),
            aws("ABIA"), aws("ACCA"),
            new Shape("ghp_", 30, 255, ALNUM, "github-token"), new Shape("gho_", 30, 255, ALNUM, "github-token"),
            new Shape("ghu_", 30, 255, ALNUM, "github-token"), new Shape("ghs_", 30, 255, ALNUM, "github-token"),
            new Shape("ghr_", 30, 255, ALNUM, "github-token"), new Shape("github_pat_", 22, 255, "a-zA-Z0-9_", "github-token"),
            new Shape("glpat-", 20, 255, WORD, "gitlab-token"), new Shape("gldt-", 20, 255, WORD, "gitlab-token"),
            new Shape("glptt-", 20, 255, WORD, "gitlab-token"), new Shape("glrt-", 20, 255, WORD, "gitlab-token"),
            new Shape("xoxb-", 10, 255, WORD, "slack-token"), new Shape("xoxa-", 10, 255, WORD, "slack-token"),
            new Shape("xoxp-", 10, 255, WORD, "slack-token"), new Shape("xoxo-", 10, 255, WORD, "slack-token"),
            new Shape("xoxs-", 10, 255, WORD, "slack-token"), new Shape("xoxr-", 10, 255, WORD, "slack-token"),
            new Shape("xoxe-", 10, 255, WORD, "slack-token"), new Shape("xapp-", 10, 255, WORD, "slack-token"),
            new Shape("sk_live_", 16, 255, ALNUM, "stripe-key"), new Shape("sk_test_", 16, 255, ALNUM, "stripe-key"),
            new Shape("rk_live_", 16, 255, ALNUM, "stripe-key"), new Shape("rk_test_", 16, 255, ALNUM, "stripe-key"),
            new Shape("whsec_", 16, 255, ALNUM, "stripe-key"),
            new Shape("sk-", 20, 255, WORD, "api-key"),
            new Shape("AIza", 35, 35, WORD, "google-api-key"), new Shape("GOCSPX-", 24, 64, WORD, "google-oauth-secret"),
            new Shape("npm_", 36, 36, ALNUM, "npm-token"), new Shape("dckr_pat_", 20, 255, WORD, "docker-token"),
            new Shape("pypi-AgEIcHlwaS5vcmc", 50, 255, WORD, "pypi-token"),
            new Shape("shpat_", 32, 32, HEX + "A-F", "shopify-token"), new Shape("shpca_", 32, 32, HEX + "A-F", "shopify-token"),
            new Shape("shppa_", 32, 32, HEX + "A-F", "shopify-token"), new Shape("shpss_", 32, 32, HEX + "A-F", "shopify-token"),
            new Shape("glc_", 20, 255, WORD, "grafana-token"), new Shape("glsa_", 20, 255, WORD, "grafana-token"),
            new Shape("sntrys_", 20, 255, WORD, "sentry-token"), new Shape("lin_api_", 20, 255, ALNUM, "linear-token"),
            new Shape("figd_", 20, 255, WORD, "figma-token"), new Shape("dop_v1_", 64, 64, HEX, "digitalocean-token"),
            new Shape("doo_v1_", 64, 64, HEX, "digitalocean-token"), new Shape("hf_", 30, 255, "a-zA-Z", "huggingface-token"),
            new Shape("gsk_", 40, 255, ALNUM, "groq-key"), new Shape("r8_", 30, 255, ALNUM, "replicate-token"),
            new Shape("SK", 32, 32, HEX, "twilio-key"), new Shape("key-", 32, 32, HEX, "mailgun-key"),
            new Shape("NRAK-", 27, 27, UPPER_NUM, "newrelic-key"), new Shape("PMAK-", 24, 255, WORD, "postman-key"),
            new Shape("ATATT3", 40, 255, WORD, "atlassian-token"), new Shape("dapi", 32, 32, HEX, "databricks-token"),
            new Shape("sq0atp-", 22, 255, WORD, "square-token"), new Shape("sq0csp-", 40, 255, WORD, "square-token"));

    /** Hosts and paths of chat webhooks: whatever follows is the secret. */
    static final List<String[]> WEBHOOKS = List.of(
            new String[] {"hooks.slack.com/services/", "slack-webhook"},
            new String[] {"hooks.slack.com/workflows/", "slack-webhook"},
            new String[] {"discord.com/api/webhooks/", "discord-webhook"},
            new String[] {"discordapp.com/api/webhooks/", "discord-webhook"},
            new String[] {".webhook.office.com/webhookb2/", "teams-webhook"},
            new String[] {"outlook.office.com/webhook/", "teams-webhook"});

    static final Set<String> PASSWORD_FLAGS = Set.of("--password", "--passwd", "--pass", "--token", "--secret",
            "--api-key", "--apikey", "--access-token", "--auth-token", "--client-secret", "--private-key");
    static final Set<String> PROSE_NOUNS = Set.of("password", "passphrase", "passwd", "pwd", "secret", "token");
    private static final Set<String> NOT_A_VALUE = Set.of("true", "false", "null", "none", "nil", "undefined", "required",
            "optional", "string", "number", "boolean", "changeme", "example", "redacted", "secret", "password", "token",
            "wrong", "incorrect", "invalid", "expired", "missing", "empty", "correct", "stored", "hashed", "rotated",
            "needed", "visible", "weak", "strong", "set", "unset", "long", "short", "different", "same");

    private SecretRules() {
    }

    static boolean looksSecret(String value, boolean strict) {
        if (value.length() < 4 || value.startsWith("[redacted") || value.startsWith("$") || value.startsWith("%")
                || value.startsWith("{{") || value.startsWith("<") || value.startsWith("/") || value.startsWith("./")
                || value.startsWith("~/") || value.startsWith("[") || value.contains("://") || value.contains("(")
                || value.contains("[") || value.contains("{")
                || value.chars().allMatch(c -> c == '*' || c == 'x' || c == 'X' || c == '.')
                || NOT_A_VALUE.contains(value.toLowerCase(Locale.ROOT))) {
            return false;
        }
        boolean digit = value.chars().anyMatch(Character::isDigit);
        boolean symbol = value.chars().anyMatch(c -> !Character.isLetterOrDigit(c) && c != '.' && c != '_' && c != '-');
        boolean reference = !digit && value.indexOf('.') > 0 && value.chars().allMatch(c -> Character.isLetter(c) || c == '.' || c == '_');
        if (reference) {
            return false;
        }
        return strict ? value.length() >= 6 && (digit || symbol) : value.length() >= 8 || digit;
    }

    /**
     * The kind of secret a name announces, or null. The secret word must end the name
     * ({@code db_password}, {@code GITHUB_TOKEN}, {@code clientSecret}, {@code STRIPE_KEY}); a name
     * that only starts with one ({@code password_hash}, {@code token_url}, {@code API_KEY_HEADER}) or
     * merely contains one ({@code max_tokens}) does not.
     */
    static String secretName(String name) {
        List<String> parts = nameParts(name);
        if (parts.isEmpty()) {
            return null;
        }
        String last = parts.get(parts.size() - 1);
        String previous = parts.size() > 1 ? parts.get(parts.size() - 2) : "";
        if (name.equals("PWD") || name.equals("OLDPWD")) {
            return null;
        }
        if (last.equals("password") || last.equals("passwd") || last.equals("pwd") || last.equals("passphrase")
                || last.equals("pass") || last.endsWith("password") || last.endsWith("passwd")
                || last.endsWith("pass") && last.length() <= 6) {
            return "password";
        }
        if (last.equals("secret") || last.endsWith("secret")) {
            return "secret";
        }
        if (last.equals("token") || last.endsWith("token")) {
            return "token";
        }
        if (last.equals("apikey") || last.equals("key") && (previous.equals("api") || previous.equals("access")
                || previous.equals("secret") || previous.equals("private") || previous.equals("signing")
                || previous.equals("encryption") || previous.equals("master") || previous.equals("account")
                || previous.equals("client") || previous.equals("license"))
                || last.equals("accountkey") || last.equals("sharedaccesskey")) {
            return "api-key";
        }
        if (last.equals("key") && name.chars().allMatch(c -> Character.isUpperCase(c) || Character.isDigit(c) || c == '_')
                && name.contains("_")) {
            return "api-key";
        }
        if (last.equals("credentials") || last.equals("credential") || last.equals("auth") && parts.size() > 1
                || name.equals("sig") || last.equals("sharedaccesssignature")) {
            return "credentials";
        }
        return null;
    }

    /** {@code db_password}, {@code dbPassword}, {@code DB-PASSWORD} all become {@code [db, password]}. */
    private static List<String> nameParts(String name) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean boundary = c == '_' || c == '-' || c == '.';
            boolean camel = i > 0 && Character.isUpperCase(c) && Character.isLowerCase(name.charAt(i - 1));
            if ((boundary || camel) && part.length() > 0) {
                parts.add(part.toString().toLowerCase(Locale.ROOT));
                part.setLength(0);
            }
            if (!boundary) {
                part.append(c);
            }
        }
        if (part.length() > 0) {
            parts.add(part.toString().toLowerCase(Locale.ROOT));
        }
        return parts;
    }

    static boolean allIn(String text, int from, int to, String alphabet) {
        for (int i = from; i < to; i++) {
            if (!inAlphabet(text.charAt(i), alphabet)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code c} is in an alphabet written as ranges and single characters ({@code a-zA-Z0-9_-}). */
    static boolean inAlphabet(char c, String alphabet) {
        for (int i = 0; i < alphabet.length(); i++) {
            if (i + 2 < alphabet.length() && alphabet.charAt(i + 1) == '-') {
                if (c >= alphabet.charAt(i) && c <= alphabet.charAt(i + 2)) {
                    return true;
                }
                i += 2;
            } else if (c == alphabet.charAt(i)) {
                return true;
            }
        }
        return false;
    }

    private static Shape aws(String prefix) {
        return new Shape(prefix, 16, 16, UPPER_NUM, "aws-access-key");
    }
}
