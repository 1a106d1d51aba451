package cli;

import local.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This machine's copy of Wyren, which installed hook commands point at: {@code --checkout}, else
 * {@code WYREN_HOME} (exported by the {@code ./jbang} launcher), else the folder holding
 * {@code wyren.java} at or above the working directory.
 */
public final class Checkout {

    private Checkout() {
    }

    public static Path locate(Optional<Path> explicit, Cli.Context context) {
        Optional<Path> found = explicit.map(p -> context.cwd().resolve(p).normalize())
                .or(() -> Settings.of(context.env()).home().map(Path::of))
                .or(() -> above(context.cwd()));
        Path checkout = found.orElseThrow(() -> new WyrenFailure("cannot tell where this Wyren checkout is",
                "Run through the checkout's ./jbang, from inside the checkout, or pass --checkout DIR."));
        if (!Files.isExecutable(checkout.resolve("hooks/run")) || !Files.isRegularFile(checkout.resolve("wyren.java"))) {
            throw new WyrenFailure(checkout + " is not a Wyren checkout (no hooks/run)", "Pass --checkout with the folder you cloned Wyren into.");
        }
        return checkout.toAbsolutePath().normalize();
    }

    private static Optional<Path> above(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("wyren.java")) && Files.isRegularFile(p.resolve("hooks/run"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
