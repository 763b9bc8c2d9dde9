package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.asyncwith.AsyncExitStack;
import dev.asyncwith.AsyncGenerator;
import dev.asyncwith.AsyncResource;
import dev.asyncwith.AsyncYield;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The timeout over an exit stack whose {@code enterContext} calls are still pending at the
 * deadline, or whose block did not wait for them: {@code new AsyncExitStack().use(timeout, stack
 * -> enter every entry; wait for them or not)}. Entries are hand-written resources and
 * non-blocking generators whose enter completes at once, or only once the test opens its gate
 * after the result has completed. Checked (rule 6 of {@code docs/RULES.md}: nothing acquired is
 * ever left unreleased): the result is a {@code TimeoutException} exactly when the block waited
 * for a pending enter, else the block's value; every resource whose enter completed is exited
 * exactly once, those entered in time by the stack before the result completes, the late ones
 * at once when their enter completes, with a {@code CancellationException}; nothing reaches the
 * uncaught-exception handler.
 */
class ExitStackTimeoutPropertiesTest {

  /** One entry: a generator or a hand-written resource, entered at once or late. */
  record Entry(boolean generator, boolean late) {}

  /** One run. */
  record StackScenario(List<Entry> entries, boolean blockWaits, long timeoutMillis) {}

  @Property
  void pendingEntersAreReleasedWhateverTheDeadline(@ForAll("scenarios") StackScenario scenario)
      throws Exception {
    List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> uncaught.add(failure));
    List<String> problems;
    try {
      problems = run(scenario, uncaught);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
    List<String> found = problems;
    assertEquals(List.of(), found, () -> scenario + "\n  " + String.join("\n  ", found));
  }

  @Provide
  Arbitrary<StackScenario> scenarios() {
    Arbitrary<Entry> entry =
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false))
            .as(Entry::new);
    return Combinators.combine(
            entry.list().ofMinSize(1).ofMaxSize(4),
            Arbitraries.of(true, false),
            Arbitraries.of(-1L, 0L, 1L, 5L))
        .as(StackScenario::new);
  }

  private static List<String> run(StackScenario scenario, List<Throwable> uncaught)
      throws Exception {
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    List<Gated> resources = new ArrayList<>();
    for (int i = 0; i < scenario.entries().size(); i++) {
      Entry entry = scenario.entries().get(i);
      resources.add(entry.generator() ? new GatedGenerator(i, entry.late()) : new GatedHand(i,
          entry.late()));
    }
    CompletableFuture<String> result =
        new AsyncExitStack()
            .use(
                Duration.ofMillis(scenario.timeoutMillis()),
                stack -> {
                  List<CompletableFuture<String>> entered = new ArrayList<>();
                  for (Gated resource : resources) {
                    entered.add(stack.enterContext(resource.resource()).toCompletableFuture());
                  }
                  if (!scenario.blockWaits()) {
                    return CompletableFuture.completedFuture("did not wait");
                  }
                  return CompletableFuture.allOf(entered.toArray(new CompletableFuture<?>[0]))
                      .thenApply(ignored -> "waited");
                });

    Object value;
    try {
      value = result.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      value = e.getCause();
    }
    boolean anyLate = scenario.entries().stream().anyMatch(Entry::late);
    if (scenario.blockWaits() && anyLate) {
      if (!(value instanceof TimeoutException)) {
        problems.add("expected a TimeoutException, got " + value);
      }
    } else {
      String expected = scenario.blockWaits() ? "waited" : "did not wait";
      if (!expected.equals(value)) {
        problems.add("expected " + expected + ", got " + value);
      }
    }
    for (Gated resource : resources) {
      if (!resource.late && resource.exits.get() != 1) {
        problems.add("entry " + resource.index + " (entered at once) was exited "
            + resource.exits.get() + " times by the time the result completed");
      }
      if (resource.late && resource.exits.get() != 0) {
        problems.add("entry " + resource.index + " was exited before its enter completed");
      }
    }
    for (Gated resource : resources) {
      resource.open();
    }
    for (Gated resource : resources) {
      if (!Measurements.await(() -> resource.exits.get() >= 1, 5_000)) {
        problems.add("entry " + resource.index + " was acquired and never released");
      } else if (resource.exits.get() != 1) {
        problems.add("entry " + resource.index + " was exited " + resource.exits.get() + " times");
      } else if (resource.late && !(resource.exitFailure instanceof CancellationException)) {
        problems.add("late entry " + resource.index + "'s exit received " + resource.exitFailure
            + ", not a CancellationException");
      }
    }
    Measurements.await(() -> false, 5); // let a stray report arrive
    if (!uncaught.isEmpty()) {
      problems.add("the uncaught-exception handler received " + uncaught);
    }
    return problems;
  }

  /** An entry whose enter the test completes (late), or that completes at once. */
  private abstract static class Gated {
    final int index;
    final boolean late;
    final CompletableFuture<Void> gate = new CompletableFuture<>();
    final AtomicInteger exits = new AtomicInteger();
    volatile Throwable exitFailure;

    Gated(int index, boolean late) {
      this.index = index;
      this.late = late;
      if (!late) {
        gate.complete(null);
      }
    }

    abstract AsyncResource<String> resource();

    void open() {
      gate.complete(null);
    }

    void exited(Throwable failure) {
      exitFailure = failure;
      exits.incrementAndGet();
    }
  }

  private static final class GatedHand extends Gated implements AsyncResource<String> {
    GatedHand(int index, boolean late) {
      super(index, late);
    }

    @Override
    AsyncResource<String> resource() {
      return this;
    }

    @Override
    public CompletionStage<String> enter() {
      return gate.thenApply(ignored -> "hand-" + index);
    }

    @Override
    public CompletionStage<Boolean> exit(Throwable failure) {
      exited(failure);
      return CompletableFuture.completedFuture(false);
    }
  }

  private static final class GatedGenerator extends Gated {
    private final AsyncGenerator<String> engine;

    GatedGenerator(int index, boolean late) {
      super(index, late);
      engine =
          new AsyncGenerator<>("StackScripts.gated") {
            @Override
            protected CompletionStage<?> generate(AsyncYield<String> yield) {
              return gate.thenCompose(
                  ignored ->
                      yield
                          .yield("generator-" + index)
                          .whenComplete((v, failure) -> exited(failure)));
            }
          };
    }

    @Override
    AsyncResource<String> resource() {
      return engine;
    }
  }
}
