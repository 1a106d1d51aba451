import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Shell loops that each keep one CPU busy, as a build would, until closed (and at most 300 s, so a
 * test that dies never leaves them behind for long).
 */
public final class BusyCpus implements AutoCloseable {

    private final List<Process> loops = new ArrayList<>();

    private BusyCpus() {
    }

    public static BusyCpus start(int count) throws IOException {
        BusyCpus busy = new BusyCpus();
        try {
            for (int i = 0; i < count; i++) {
                busy.loops.add(new ProcessBuilder("timeout", "300", "sh", "-c", "while :; do :; done").start());
            }
        } catch (IOException e) {
            busy.close();
            throw e;
        }
        return busy;
    }

    @Override
    public void close() {
        for (Process loop : loops) {
            loop.descendants().forEach(ProcessHandle::destroyForcibly);
            loop.destroyForcibly();
        }
    }
}
