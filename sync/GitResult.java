package sync;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** What one git call produced. {@code stdout} is kept as bytes for blob contents. */
public record GitResult(List<String> command, int exitCode, byte[] stdoutBytes, String stderr) {

    public GitResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    public String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** Stdout without the trailing newline git prints after a single value. */
    public String line() {
        return stdout().strip();
    }
}
