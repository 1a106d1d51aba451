import memory.Redactor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactorTest {

    static String redact(String s) {
        return Redactor.redact(s).text();
    }

    @Test
    void awsKeysFromTheFixtureAreRedacted() {
        Redactor.Result r = Redactor.redact("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assertFalse(r.text().contains("AKIAIOSFODNN7EXAMPLE"), r.text());
        assertFalse(r.text().contains("wJalrXUtnFEMI"), r.text());
        assertEquals(2, r.count());
        assertTrue(r.text().contains("[redacted:aws-access-key]"));
    }

    @Test
    void tokenShapesAreRedacted() {
        String text = """
                gh: ghp_abcdefghijklmnopqrstuvwxyz0123456789
                pat: github_pat_11ABCDEFG0123456789_abcdefghijklmnop
                slack: xoxb-1234567890-abcdefghij
                openai: sk-proj-abcdefghijklmnopqrstuvwxyz
                jwt: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U
                header: Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456
                url: https://deploy:s3cretPass@git.example.com/repo.git
                """;
        String out = redact(text);
        for (String secret : new String[] {"ghp_abc", "github_pat_11", "xoxb-123", "sk-proj-abc", "eyJhbGci", "abcdefghijklmnopqrstuvwxyz123456", "s3cretPass"}) {
            assertFalse(out.contains(secret), secret + " survived in:\n" + out);
        }
        assertTrue(out.contains("https://[redacted:url-credentials]@git.example.com/repo.git"), out);
        assertTrue(out.contains("Bearer [redacted:bearer-token]"), out);
    }

    @Test
    void privateKeyBlockIsRedactedWhole() {
        String out = redact("before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\nafter");
        assertEquals("before\n[redacted:private-key]\nafter", out);
    }

    @Test
    void assignmentsOfSecretsAreRedactedButPlainProseIsNot() {
        assertEquals("password=[redacted:password]", redact("password=hunter22"));
        assertEquals("db_token: \"[redacted:token]\"", redact("db_token: \"abcd1234efgh\""));
        String prose = "We decided the password field is required; token rotation is an open question. Use SSE.";
        assertEquals(prose, redact(prose));
        assertEquals("token: string", redact("token: string"));
        assertEquals("password: ${DB_PASSWORD}", redact("password: ${DB_PASSWORD}"));
    }

    @Test
    void redactingTwiceChangesNothingMore() {
        Redactor.Result once = Redactor.redact("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE token=abcdef123456");
        Redactor.Result twice = Redactor.redact(once.text());
        assertEquals(once.text(), twice.text());
        assertEquals(0, twice.count());
    }
}
