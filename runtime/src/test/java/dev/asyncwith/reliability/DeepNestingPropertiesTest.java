package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.asyncwith.reliability.Scenario.Block;
import dev.asyncwith.reliability.Scenario.Leaf;
import dev.asyncwith.reliability.Scenario.ResourceSpec;
import dev.asyncwith.reliability.Scenario.Stack;
import dev.asyncwith.reliability.Scenario.StackEntry;
import dev.asyncwith.reliability.Scenario.Use;
import dev.asyncwith.reliability.Scenario.With;
import dev.asyncwith.reliability.Scenarios.ResourceKind;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The reference model at the depth rule 7 of {@code docs/RULES.md} promises: {@code use}, {@code
 * AsyncWith.with} and exit stacks nested up to 10,000 deep (sampled: small depths most often,
 * 10,000 itself always among them), each level over random hand-written resources and
 * non-blocking generators whose steps end at once, later on another thread, or fail, checked
 * against the {@link ReferenceModel} by {@link ScenarioCheck} as the shallow compositions are.
 * Blocking generators stay out: 10,000 of them nested would be 10,000 threads alive at once.
 *
 * <p>Bodies that find their enter complete build the next level synchronously, which recurses as
 * the body's own code does (rule 7), so the scenario runs on a thread with a large stack; the
 * unwinding must not grow it, and the other threads involved ({@link Later}'s) have large stacks
 * only for the same reason.
 */
class DeepNestingPropertiesTest {

  /** The deepest nesting drawn. */
  static final int DEEPEST = 10_000;

  /**
   * Few tries in the default build (a nesting 10,000 deep takes seconds on a shared 2-core
   * machine); {@code DeepNestingStressTest} runs many more.
   */
  @Property(tries = 6)
  void nestingsUpToTenThousandDeepFollowTheModel(@ForAll("deepNestings") Nesting nesting) {
    check(nesting);
  }

  /** Runs {@code nesting} and checks it against the model. */
  static void check(Nesting nesting) {
    int depth = nesting.levels().size();
    Statistics.label("depth").collect(CancellationPropertiesTest.depthBucket(depth));
    // The tree is built, numbered, run and modelled on the big stack: all of that recurses.
    List<String> problems = onBigStack(() -> ScenarioCheck.problems(nest(nesting)));
    assertEquals(List.of(), problems, () -> "a nesting " + depth + " deep, levels "
        + nesting.levels().subList(0, Math.min(5, depth)) + "...:\n  "
        + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
  }

  /** A nesting as plain data, outermost level first: flat, so jqwik never recurses through it. */
  record Nesting(List<Level> levels, Outcome leaf) {}

  @Provide
  Arbitrary<Nesting> deepNestings() {
    return nestings();
  }

  /** Nestings up to {@link #DEEPEST} deep. */
  static Arbitrary<Nesting> nestings() {
    Arbitrary<Integer> depths =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(DEEPEST)),
            Tuple.of(
                4,
                Arbitraries.integers()
                    .between(1, DEEPEST)
                    .withDistribution(RandomDistribution.biased())));
    EnumSet<ResourceKind> kinds = EnumSet.of(ResourceKind.HAND, ResourceKind.ASYNC_GENERATOR);
    Arbitrary<Level> level =
        Arbitraries.frequencyOf(
            Tuple.of(6, Scenarios.resources(kinds, true).map(r -> (Level) new UseLevel(r))),
            Tuple.of(
                1,
                Scenarios.resources(kinds, false)
                    .list()
                    .ofSize(2)
                    .map(rs -> (Level) new WithLevel(rs))),
            Tuple.of(
                1, Scenarios.stackEntries(kinds).list().ofMaxSize(2).map(StackLevel::new)));
    return depths.flatMap(
        depth ->
            Combinators.combine(level.list().ofSize(depth), Scenarios.outcomes())
                .as(Nesting::new));
  }

  /** One level of the nesting, without its child. */
  sealed interface Level permits UseLevel, WithLevel, StackLevel {}

  record UseLevel(ResourceSpec resource) implements Level {}

  record WithLevel(List<ResourceSpec> resources) implements Level {}

  record StackLevel(List<StackEntry> entries) implements Level {}

  /** Folds the levels, innermost last, around the leaf; numbers the nodes. */
  private static Block nest(Nesting nesting) {
    List<Level> levels = nesting.levels();
    Block block = new Leaf(0, nesting.leaf());
    for (int i = levels.size() - 1; i >= 0; i--) {
      Level level = levels.get(i);
      if (level instanceof UseLevel use) {
        block = new Use(use.resource(), block);
      } else if (level instanceof WithLevel with) {
        block = new With(with.resources(), block);
      } else {
        block = new Stack(((StackLevel) level).entries(), block);
      }
    }
    return Scenarios.number(block);
  }

  /** Runs {@code check} on a new thread with {@link Later#BIG_STACK}; rethrows what it threw. */
  private static List<String> onBigStack(Supplier<List<String>> check) {
    AtomicReference<List<String>> problems = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                problems.set(check.get());
              } catch (Throwable t) {
                thrown.set(t);
              }
            },
            "deep-nesting",
            Later.BIG_STACK);
    thread.start();
    try {
      thread.join(120_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (thread.isAlive()) {
      return List.of("the scenario did not finish within 120 s");
    }
    if (thrown.get() != null) {
      throw new AssertionError("the scenario threw", thrown.get());
    }
    return problems.get();
  }
}
