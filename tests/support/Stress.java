import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several clones distilling and pushing at once, each a real {@code wyren distill} process, for a
 * bounded time. Every distillation adds one uniquely marked bullet (the seeded ones are marked too); at the end
 * each marker must be in the remote memory or in some writer's log as {@code dropped:} (the hard cap), and the memory
 * history must have no merge commit. A commit a writer's last push left local is published by a
 * final {@code wyren sync} in each clone, as its next session would. Used by {@code StressTest} (short) and {@code bench/stress.sh}.
 */
public final class Stress {

    /** What a run did and found. */
    public record Report(int writers, int distillations, int failures, List<String> failureReasons, int leftLocal, int pushes, int retries, long mergeCommits,
                         int bullets, int droppedByCap, List<String> lost, boolean withinCap, Duration took) {
        @Override
        public String toString() {
            return "writers=" + writers + " distillations=" + distillations + " failures=" + failures
                    + (failureReasons.isEmpty() ? "" : " " + failureReasons) + " commits left local after losing every push race=" + leftLocal
                    + " pushes=" + pushes
                    + " non-fast-forward retries=" + retries + " merge commits=" + mergeCommits + " bullets in memory="
                    + bullets + " dropped by hard cap (logged)=" + droppedByCap + " lost=" + lost.size()
                    + " within hard cap=" + withinCap + " took=" + took.toSeconds() + " s";
        }
    }

    /** An engine that returns the current memory plus one bullet carrying the slice's marker. */
    static final String APPEND_ENGINE = """
            #!/bin/sh
            awk '
            /^=== CURRENT MEMORY ===$/ { memory = 1; next }
            /^=== TRANSCRIPT SLICE ===$/ { memory = 0; slice = 1; next }
            /^=== END ===$/ { slice = 0 }
            memory { print }
            slice && match($0, /MARK-[A-Za-z0-9-]+/) { mark = substr($0, RSTART, RLENGTH) }
            END { print ""; print "## Decisions"; print "- Stress bullet " mark " [stress00, turn 1]" }'
            """;

    private Stress() {
    }

    /**
     * @param seedBullets decisions already in memory before the run, so that a short run also
     *                    reaches the hard cap and exercises logged drops
     */
    public static Report run(int writers, Duration duration, int seedBullets) throws Exception {
        long start = System.nanoTime();
        try (Team team = Team.create()) {
            Path engine = team.dir.resolve("append-engine.sh");
            Files.writeString(engine, APPEND_ENGINE);
            Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwxr-xr-x"));
            team.setEnv("WYREN_DISTILL_COMMAND", engine.toString());
            Path first = team.clone("w0");
            team.wyren(first, "init").expect(0);
            List<String> marks = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < seedBullets; i++) {
                PullTest.addBullet(first, "Decisions", "Seed decision SEED-" + i + " [seed0000, turn " + i + "]");
                marks.add("SEED-" + i);
            }
            team.wyren(first, "sync").expect(0);
            List<Path> clones = new ArrayList<>(List.of(first));
            for (int w = 1; w < writers; w++) {
                Path clone = team.clone("w" + w);
                team.wyren(clone, "sync").expect(0);
                clones.add(clone);
            }
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger leftLocal = new AtomicInteger();
            AtomicInteger distillations = new AtomicInteger();
            List<String> reasons = java.util.Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + duration.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<?>> loops = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    loops.add(pool.submit(() -> {
                        for (int i = 0; System.nanoTime() < end; i++) {
                            String mark = "MARK-w" + writer + "-" + i;
                            Path transcript = transcript(team.dir, writer, i, mark);
                            Team.Result r = team.java(clones.get(writer), team.env(), "", Duration.ofSeconds(120), "wyren",
                                    "distill", "--engine", "command", "--force", "--transcript", transcript.toString());
                            marks.add(mark);
                            distillations.incrementAndGet();
                            if (r.exit() != 0 && r.err().contains("the commit stays local until the next sync")) {
                                leftLocal.incrementAndGet();
                            } else if (r.exit() != 0) {
                                failures.incrementAndGet();
                                reasons.add(r.err().lines().findFirst().orElse("exit " + r.exit()));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> loop : loops) {
                    loop.get(duration.toSeconds() + 300, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            // A writer whose last push lost three races keeps its commit local until its next sync (SPEC §3):
            // that next sync happens here, as it would at the writer's next session.
            for (Path clone : clones) {
                for (int attempt = 0; attempt < 5 && team.wyren(clone, "sync").exit() != 0; attempt++) {
                    Thread.sleep(100);
                }
            }
            team.wyren(first, "sync");
            String memory = team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
            StringBuilder logs = new StringBuilder();
            clones.forEach(c -> logs.append(Team.read(c.resolve(".wyren/log"))));
            List<String> droppedLines = logs.toString().lines().filter(l -> l.contains("dropped: ")).toList();
            List<String> lost = new ArrayList<>();
            int dropped = 0;
            for (String mark : marks) {
                boolean present = memory.contains(mark + " ");
                boolean loggedDrop = droppedLines.stream().anyMatch(l -> l.contains(mark + " "));
                if (loggedDrop && !present) {
                    dropped++;
                } else if (!present) {
                    lost.add(mark);
                }
            }
            String log = logs.toString();
            int pushes = (int) log.lines().filter(l -> l.contains(": pushed ")).count();
            int retries = (int) log.lines().filter(l -> l.contains("rejected as non-fast-forward")).count();
            long merges = team.git(team.remote, "rev-list", "--merges", "wyren/memory").lines().filter(l -> !l.isBlank()).count();
            int bullets = (int) memory.lines().filter(l -> l.startsWith("- ")).count();
            boolean withinCap = bullets <= 60 && memory.length() <= 8000;
            return new Report(writers, distillations.get(), failures.get(), List.copyOf(reasons), leftLocal.get(), pushes, retries, merges, bullets, dropped, lost, withinCap,
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static Path transcript(Path dir, int writer, int i, String mark) {
        String session = String.format("%08d-0000-4000-8000-%012d", writer, i);
        String line = "{\"type\":\"user\",\"uuid\":\"u-" + mark + "\",\"sessionId\":\"" + session
                + "\",\"message\":{\"role\":\"user\",\"content\":\"We decided to record " + mark + " for the stress run.\"}}\n";
        Path file = dir.resolve("t-" + mark + ".jsonl");
        try {
            Files.writeString(file, line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@code bench/stress.sh}: {@code Stress [--minutes M] [--writers N] [--seed-bullets B]}; prints the report, exit 1 if anything was lost. */
    public static void main(String... args) throws Exception {
        double minutes = 10;
        int writers = 4;
        int seed = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
                case "--writers" -> writers = Integer.parseInt(args[i + 1]);
                case "--seed-bullets" -> seed = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Report report = run(writers, Duration.ofMillis((long) (minutes * 60_000)), seed);
        System.out.println(report);
        System.exit(report.lost().isEmpty() && report.mergeCommits() == 0 && report.withinCap() ? 0 : 1);
    }
}
