package cli;

import local.ChildProcess;
import local.Env;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The JDK the installed hooks run on. By default, the one {@code hooks/run} finds itself
 * ({@code JAVA_HOME}, else {@code java} on PATH); when that one predates the AOT cache (JDK 24) and a
 * newer JDK is installed where JDKs are installed, {@code wyren install} pins that one in the hook
 * command: a hook then starts ~25% faster (README, "Measured"). Only a JDK whose {@code java} is
 * owned by root or this user and writable by no one else is chosen. Found from each JDK's
 * {@code release} file: no process is started.
 */
final class HookJdk {

    /** The first JDK with the AOT cache ({@code -XX:AOTCache}). */
    static final int AOT_CACHE = 24;
    private static final int MAX_CANDIDATES = 200;

    record Jdk(Path home, int feature) {}

    private HookJdk() {
    }

    /** A newer JDK to pin, when the one the hooks would use by default predates the AOT cache. */
    static Optional<Jdk> better(Env env) {
        if (fallback(env).filter(j -> j.feature() >= AOT_CACHE).isPresent()) {
            return Optional.empty();
        }
        return candidates(env).stream().map(HookJdk::at).flatMap(Optional::stream)
                .filter(j -> j.feature() >= AOT_CACHE)
                .max(Comparator.comparingInt(Jdk::feature).thenComparing(j -> j.home().toString()));
    }

    /** The JDK {@code hooks/run} uses when none is pinned. */
    static Optional<Jdk> fallback(Env env) {
        Optional<Path> javaHome = env.get("JAVA_HOME").filter(h -> !h.isBlank()).map(Path::of);
        if (javaHome.isPresent()) {
            return at(javaHome.get());
        }
        return ChildProcess.onPath("java", env).flatMap(java -> {
            try {
                Path real = java.toRealPath();
                return real.getParent() == null ? Optional.empty() : at(real.getParent().getParent());
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /** The JDK at {@code home}, if it is one that may be pinned. */
    static Optional<Jdk> at(Path home) {
        try {
            Path real = home.toRealPath();
            Path java = real.resolve("bin/java");
            if (real.toString().indexOf('\'') >= 0 || !Files.isExecutable(java) || !safe(java)) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(real.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    String version = line.substring("JAVA_VERSION=\"".length());
                    int end = 0;
                    while (end < version.length() && Character.isDigit(version.charAt(end))) {
                        end++;
                    }
                    return end == 0 ? Optional.empty() : Optional.of(new Jdk(real, Integer.parseInt(version.substring(0, end))));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not a JDK, or not one we can read: not a candidate.
        }
        return Optional.empty();
    }

    private static boolean safe(Path java) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(java, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String owner = attributes.owner().getName();
        boolean ownedWell = owner.equals("root") || owner.equals(System.getProperty("user.name"));
        return ownedWell && !attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                && !attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** Where JDKs are installed: the system's folders and the version managers' (SDKMAN!, JBang, IntelliJ). */
    private static List<Path> candidates(Env env) {
        List<Path> roots = new ArrayList<>(List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"),
                Path.of("/Library/Java/JavaVirtualMachines")));
        env.get("HOME").filter(h -> !h.isBlank()).map(Path::of).ifPresent(home -> roots.addAll(List.of(
                home.resolve(".sdkman/candidates/java"), home.resolve(".jbang/cache/jdks"), home.resolve(".jdks"))));
        List<Path> found = new ArrayList<>();
        for (Path root : roots) {
            try (DirectoryStream<Path> jdks = Files.newDirectoryStream(root)) {
                for (Path jdk : jdks) {
                    if (found.size() < MAX_CANDIDATES) {
                        found.add(Files.isDirectory(jdk.resolve("Contents/Home")) ? jdk.resolve("Contents/Home") : jdk);
                    }
                }
            } catch (IOException e) {
                // No such folder here.
            }
        }
        return found;
    }
}
