package memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How long this process has existed, launcher included: a hook started through {@code ./jbang}
 * is the same process (bash execs java), so its deadline must count JBang's time too.
 *
 * <p>On Linux this compares {@code /proc/self/stat}'s start time with {@code /proc/uptime}: both
 * count from boot, to 10 ms. {@code ProcessHandle.info().startInstant()} is not used: it is derived
 * from the boot time in whole seconds and was seen up to half a second early.
 */
public final class ProcessClock {

    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessClock() {
    }

    public static Duration sinceStart() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[19]);
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            long millis = Math.round((uptime - startTicks / TICKS_PER_SECOND) * 1000);
            return Duration.ofMillis(Math.max(0, millis));
        } catch (IOException | RuntimeException e) {
            return Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime());
        }
    }
}
