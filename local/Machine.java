package local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** This machine's host and user names, without a DNS lookup (hooks cannot afford one). */
public final class Machine {

    private Machine() {
    }

    public static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: fall back to the environment.
        }
        return Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("localhost");
    }

    public static String userName() {
        return Optional.ofNullable(System.getProperty("user.name")).filter(u -> !u.isBlank()).orElse("user");
    }
}
