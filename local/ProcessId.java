package local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as the kernel knows it: its pid, its start time in clock ticks since boot, and the boot
 * it belongs to. A pid alone is not an identity: after a crash and a reboot, or once pids wrap, the
 * same number names another process. Outside Linux (no {@code /proc}) start and boot are unknown
 * ({@code 0} and empty) and only the pid is compared.
 */
public record ProcessId(long pid, long startTicks, String boot) {

    public static ProcessId current() {
        return of(ProcessHandle.current().pid()).orElse(new ProcessId(ProcessHandle.current().pid(), 0, bootId()));
    }

    /** The process running now with this pid, if any (a zombie runs nothing and does not count). */
    public static Optional<ProcessId> of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int end = stat.lastIndexOf(')');
            String[] fields = stat.substring(end + 2).split(" ");
            if (fields[0].equals("Z")) {
                return Optional.empty();
            }
            return Optional.of(new ProcessId(pid, Long.parseLong(fields[19]), bootId()));
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> new ProcessId(pid, 0, ""));
        }
    }

    /** This process (same pid, same start, same boot) still runs. */
    public boolean running() {
        if (!boot.isEmpty() && !boot.equals(bootId())) {
            return false;
        }
        return of(pid).map(now -> startTicks == 0 || now.startTicks() == 0 || now.startTicks() == startTicks).orElse(false);
    }

    /** This machine's boot, so a process recorded before a reboot is known to be gone. */
    public static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
