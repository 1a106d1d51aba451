import memory.Redactor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redaction measured both ways: a corpus of secrets in the formats people paste (every one must be
 * redacted) and a corpus of look-alikes from ordinary code and prose (none may be), plus
 * adversarial input that would make a backtracking detector take quadratic time.
 */
class RedactionCorpusTest {

    /** Each entry: the text, and the secret part that must not survive. */
    static final List<String[]> SECRETS = List.of(
            s("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
            s("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
            s("export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghij"),
            s("token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", "github_pat_11ABC"),
            s("gitlab: glpat-AbCdEfGhIjKlMnOpQrSt", "glpat-AbCd"),
            s("slack bot xoxb-123456789012-abcdefghijklmnop", "xoxb-1234"),
            s("OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345", "sk-proj-abc"),
            s("anthropic sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789", "sk-ant-api03"),
            s("stripe sk_live_51HabcdefghijklmnopqrstuvWXYZ", "sk_live_51Habc"),
            s("STRIPE_KEY=rk_test_abcdefghijklmnop1234", "rk_test_abcd"),
            s("STRIPE_KEY=hunter2hunter2", "hunter2hunter2"),
            s("google maps key AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA123"),
            s("hook https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXXXXXXXXXX"),
            s("discord https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz"),
            s("//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789", "npm_abcdefghij"),
            s("DB_PASS=s3cr3t-p4ss", "s3cr3t-p4ss"),
            s("psql --password Sup3rSecret! -h db", "Sup3rSecret"),
            s("mysqladmin --password=Sup3rSecret!", "Sup3rSecret"),
            s("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=dGhpcyBpcyBhIGtleQ0123+/==;EndpointSuffix=core.windows.net",
                    "dGhpcyBpcyBhIGtleQ0123"),
            s("the password is hunter2", "hunter2"),
            s("The staging password was 'correct horse battery staple'.", "correct horse"),
            s("postgres://app:Tr0ub4dor&3@db.internal:5432/app", "Tr0ub4dor"),
            s("mongodb+srv://admin:pa55word@cluster0.example.net/test", "pa55word"),
            s("jdbc:postgresql://db/app?user=app&password=Tr0ub4dor3", "Tr0ub4dor3"),
            s("Server=db;User Id=sa;Password=Passw0rd123;", "Passw0rd123"),
            s("\"client_secret\": \"0a1b2c3d4e5f6a7b8c9d\"", "0a1b2c3d4e5f"),
            s("Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456", "abcdefghijklmnopqrstuvwxyz123456"),
            s("Authorization: Basic dXNlcjpzM2NyM3RwYXNz", "dXNlcjpzM2NyM3RwYXNz"),
            s("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "eyJhbGci"),
            s("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEAx"),
            s("key: " + b64("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"), "LS0tLS1CRUdJTi"),
            s("encoded " + b64("AKIAIOSFODNN7EXAMPLE"), b64("AKIAIOSFODNN7EXAMPLE")),
            s("sendgrid SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "SG.abcdefghij"),
            s("vault hvs.CAESIabcdefghijklmnopqrstuvwxyz", "hvs.CAESI"),
            s("docker login -p dckr_pat_abcdefghijklmnopqrstuvwx", "dckr_pat_abc"),
            s("bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq", "AAHdqTcvCH1vGW"),
            s("pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0NTY3ODkwYWJjZGVm", "pypi-AgEIcHlw"),
            s("SHOPIFY shpat_0123456789abcdef0123456789abcdef", "shpat_0123"),
            s("hf token hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", "hf_abcdefgh"),
            s("SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3MDAwMDAwMDB9_abcdefghij", "sntrys_eyJp"),
            s("api_key: \"9f8e7d6c5b4a39281706\"", "9f8e7d6c5b4a"));

    /** Ordinary text that looks a little like secrets: nothing here may change. */
    static final List<String> LOOK_ALIKES = List.of(
            "commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 fixed the cart",
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "request id 123e4567-e89b-12d3-a456-426614174000",
            "public static final String API_KEY_HEADER = \"X-Api-Key\";",
            "password: string;",
            "const token = await getToken();",
            "token = request.headers[\"Authorization\"]",
            "api_key = os.environ[\"API_KEY\"]",
            "password = \"${DB_PASSWORD}\"",
            "The password field must be at least 12 characters long.",
            "The password is required; the token is expired.",
            "max_tokens=4096 and num_passes=3",
            "PWD=/home/dev/project",
            "src/main/java/com/example/PasswordEncoder.java",
            "Bearer token authentication is handled by the gateway.",
            "https://github.com/org/repo and git@github.com:org/repo.git",
            "https://user@example.com/path (no password in this url)",
            "scikit-learn, sk-learn and skip-worktree are not keys",
            "color #ff00ff, version v1.2.3, address 10.0.0.1:8080",
            "value 0x1f2e3d4c5b6a7988 in the checksum table",
            "SGVsbG8gd29ybGQsIHRoaXMgaXMgYSBub3JtYWwgbWVzc2FnZQ== is base64 of a greeting",
            "npm_config_cache and NPM_TOKEN_FILE are config names",
            "password_hash = bcrypt(pw); token_url = settings.TOKEN_URL",
            "Use the secret manager; we rotate tokens weekly.",
            "docker image sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
            "Basic authentication was rejected in favour of OAuth.",
            "config.password is read from the vault",
            "user_id=1 is hardcoded in CartController for the demo",
            "we decided: payments are out of scope until v2",
            "AKIA is the prefix AWS uses for access key ids",
            "key-value store, sort_key=name, primary_key=id");

    static String[] s(String text, String secret) {
        return new String[] {text, secret};
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everySecretOfTheCorpusIsRedacted() {
        List<String> leaked = new ArrayList<>();
        for (String[] entry : SECRETS) {
            String out = Redactor.redact(entry[0]).text();
            if (out.contains(entry[1]) || !out.contains("[redacted:")) {
                leaked.add(entry[0] + "  ->  " + out);
            }
        }
        System.out.println("  secrets corpus: " + (SECRETS.size() - leaked.size()) + " of " + SECRETS.size() + " redacted");
        assertEquals(List.of(), leaked, "secrets that leaked");
    }

    @Test
    void noLookAlikeIsRedacted() {
        List<String> changed = new ArrayList<>();
        for (String text : LOOK_ALIKES) {
            String out = Redactor.redact(text).text();
            if (!out.equals(text)) {
                changed.add(text + "  ->  " + out);
            }
        }
        System.out.println("  look-alike corpus: " + changed.size() + " of " + LOOK_ALIKES.size() + " redacted");
        assertEquals(List.of(), changed, "look-alikes that were redacted");
    }

    @Test
    void secretsInsideATranscriptSliceAreRedactedToo() {
        StringBuilder slice = new StringBuilder();
        int turn = 1;
        for (String[] entry : SECRETS) {
            slice.append("[turn ").append(turn++).append(", assistant]\n[tool_result] ").append(entry[0]).append('\n');
        }
        String out = Redactor.redact(slice.toString()).text();
        for (String[] entry : SECRETS) {
            assertTrue(!out.contains(entry[1]), entry[1] + " survived in a transcript slice");
        }
    }

    /** Strings that make backtracking patterns quadratic or worse, 1 MB each: each must finish quickly. */
    @Test
    void adversarialMegabyteInputsFinishInLinearTime() {
        int size = 1 << 20;
        List<String> inputs = List.of(
                "a.".repeat(size / 2), "a=".repeat(size / 2), "password=".repeat(size / 9), "://".repeat(size / 3),
                "a:a@".repeat(size / 4), "eyJ.".repeat(size / 4), "-----BEGIN PRIVATE KEY-----".repeat(size / 27),
                "x".repeat(size), " ".repeat(size), "token is ".repeat(size / 9), "A".repeat(size) + "=",
                "Bearer ".repeat(size / 7), "SG.".repeat(size / 3), "hooks.slack.com/services/".repeat(size / 25),
                "_".repeat(size), "--password ".repeat(size / 11), "ghp_".repeat(size / 4), "[".repeat(size),
                "12345678:AA".repeat(size / 11), "LS0tLS1CRUdJTi".repeat(size / 14));
        for (String input : inputs) {
            long start = System.nanoTime();
            Redactor.redact(input);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // A linear pass over 1 MB takes milliseconds; quadratic takes hours. The bound only catches the latter.
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0,
                    "took " + took.toMillis() + " ms on " + input.substring(0, 20) + "... (" + input.length() + " chars)");
        }
    }
}
