///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Runs Wyren's tests: a tree of results, the failures, then "N passed, N failed, N skipped"
//JAVA 17+
//DEPS org.junit.jupiter:junit-jupiter:5.14.1 org.junit.platform:junit-platform-launcher:1.14.1
//SOURCES ../cli/*.java ../session/*.java ../sync/*.java ../memory/*.java ../local/*.java
//SOURCES ../wyren.java ../WyrenBlame.java ../WyrenForget.java ../WyrenUnforget.java ../WyrenReview.java ../WyrenInit.java ../WyrenStatus.java ../WyrenSyncNow.java ../WyrenDistill.java ../WyrenLog.java
//SOURCES ../WyrenBroadcastSkill.java ../WyrenInstall.java ../WyrenUninstall.java ../WyrenDoctor.java ../WyrenDemo.java ../hooks/*.java
//SOURCES support/*.java *Test.java

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Discovers every {@code *Test} class compiled into this script's jar and runs it. Arguments, if
 * any, are regular expressions on test class names (e.g. {@code Push.*}). Exit 1 on any failure or
 * when no test ran.
 */
public class RunTests {

    public static void main(String... args) throws Exception {
        Path classes = Path.of(RunTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String[] patterns = args.length == 0 ? new String[] {".*Test"} : args;
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClasspathRoots(Set.of(classes)))
                .filters(ClassNameFilter.includeClassNamePatterns(patterns))
                .configurationParameter("junit.jupiter.execution.timeout.default", "180 s")
                .build();
        Tree tree = new Tree();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, tree);
        tree.printFailures();
        int passed = tree.passed.get();
        int failed = tree.failed.get();
        int skipped = tree.skipped.get();
        System.out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        System.exit(failed > 0 || passed + failed == 0 ? 1 : 0);
    }

    /** Prints each class and test as it finishes, and keeps the failures for the end. */
    static final class Tree implements TestExecutionListener {
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final List<String> failures = new ArrayList<>();
        final ConcurrentHashMap<String, Long> started = new ConcurrentHashMap<>();
        TestPlan plan;

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id.getUniqueId(), System.nanoTime());
            if (id.isContainer() && id.getSource().map(s -> s instanceof org.junit.platform.engine.support.descriptor.ClassSource).orElse(false)) {
                System.out.println(id.getDisplayName());
            }
        }

        /** A parameterized invocation is named with its method: {@code method() [1] backend=git}. */
        private String name(TestIdentifier id) {
            Optional<TestIdentifier> parent = plan == null ? Optional.empty() : plan.getParent(id);
            boolean invocation = parent.flatMap(TestIdentifier::getSource)
                    .map(s -> s instanceof org.junit.platform.engine.support.descriptor.MethodSource).orElse(false);
            return invocation ? parent.get().getDisplayName() + " " + id.getDisplayName() : id.getDisplayName();
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                skipped.incrementAndGet();
                System.out.println("  SKIP " + name(id) + " (" + reason + ")");
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            long millis = (System.nanoTime() - started.getOrDefault(id.getUniqueId(), System.nanoTime())) / 1_000_000;
            if (!id.isTest()) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failed.incrementAndGet();
                    record(id, result);
                    System.out.println("  FAIL " + id.getDisplayName() + " (container)");
                }
                return;
            }
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    passed.incrementAndGet();
                    System.out.println("  ok   " + name(id) + " (" + millis + " ms)");
                }
                case ABORTED -> {
                    skipped.incrementAndGet();
                    System.out.println("  SKIP " + name(id) + " ("
                            + result.getThrowable().map(Throwable::getMessage).orElse("aborted") + ")");
                }
                case FAILED -> {
                    failed.incrementAndGet();
                    record(id, result);
                    System.out.println("  FAIL " + name(id) + " (" + millis + " ms)");
                }
            }
        }

        private void record(TestIdentifier id, TestExecutionResult result) {
            StringWriter trace = new StringWriter();
            result.getThrowable().ifPresent(t -> t.printStackTrace(new PrintWriter(trace)));
            String parent = plan == null ? "" : plan.getParent(id).map(TestIdentifier::getDisplayName).orElse("");
            synchronized (failures) {
                failures.add(parent + " > " + id.getDisplayName() + "\n" + trace);
            }
        }

        void printFailures() {
            if (failures.isEmpty()) {
                return;
            }
            System.out.println();
            System.out.println("Failures:");
            failures.forEach(f -> System.out.println("- " + f));
        }
    }
}
