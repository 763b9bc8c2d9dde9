package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random children, each ending in one of the ways a child can end, in a random order interleaved
 * with the end of the block: exactly one outcome, every failure reachable from it, and the group
 * finishing only after every child (G1 to G5).
 */
class AsyncTaskGroupPropertyTest {

  /** How a child ends. */
  enum Child {
    /** The task returns a stage already completed. */
    SUCCESS_NOW,
    /** Its stage completes at its step. */
    SUCCESS_LATER,
    /** The task returns a stage already failed. */
    FAILURE_NOW,
    /** The task throws. */
    THROWS,
    /** Its stage fails at its step, unless the group cancelled it before. */
    FAILURE_LATER,
    /** Its stage ignores the cancel and fails at its step whatever happened. */
    IGNORES_CANCEL_THEN_FAILS,
    /** The test cancels the future spawn returned, at its step. */
    HAND_CANCEL
  }

  /** How the block ends, at its step. */
  enum Block { VALUE, FAILURE }

  /** One scenario: the children, and the order of the steps (index n is the block's). */
  static final class Plan {
    final List<Child> children;
    final List<Integer> order;
    final Block block;

    Plan(List<Child> children, List<Integer> order, Block block) {
      this.children = children;
      this.order = order;
      this.block = block;
    }

    @Override
    public String toString() {
      return "children=" + children + ", order=" + order + ", block=" + block;
    }
  }

  @Provide
  Arbitrary<Plan> plans() {
    return Arbitraries.of(Child.class).list().ofMaxSize(7).flatMap(children -> {
      List<Integer> steps =
          IntStream.rangeClosed(0, children.size()).boxed().collect(Collectors.toList());
      return Combinators.combine(Arbitraries.shuffle(steps), Arbitraries.of(Block.class))
          .as((order, block) -> new Plan(children, order, block));
    });
  }

  @Property(tries = 1000)
  void oneOutcomeReachingEveryFailureAfterEveryChild(@ForAll("plans") Plan plan) {
    int n = plan.children.size();
    List<Throwable> produced = new ArrayList<>(); // child failures, in the order they happened
    List<CompletableFuture<String>> sources = new ArrayList<>();
    List<CompletableFuture<String>> returned = new ArrayList<>();
    CompletableFuture<String> block = new CompletableFuture<>();
    AtomicInteger outcomes = new AtomicInteger();
    List<String> unfinishedChildren = new ArrayList<>();

    try (Await.Uncaught uncaught = new Await.Uncaught()) {
      CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
        for (int i = 0; i < n; i++) {
          Child kind = plan.children.get(i);
          RuntimeException failure = new RuntimeException("child " + i + " " + kind);
          CompletableFuture<String> source = new CompletableFuture<>();
          sources.add(source);
          returned.add(tg.spawn(() -> {
            switch (kind) {
              case SUCCESS_NOW:
                source.complete("now");
                return source;
              case FAILURE_NOW:
                source.completeExceptionally(failure);
                produced.add(failure);
                return source;
              case THROWS:
                source.complete("threw");
                produced.add(failure);
                throw failure;
              case IGNORES_CANCEL_THEN_FAILS:
                return source.minimalCompletionStage();
              default:
                return source;
            }
          }));
        }
        return block;
      });
      result.whenComplete((value, failure) -> {
        outcomes.incrementAndGet();
        for (int i = 0; i < n; i++) {
          if (!sources.get(i).isDone()) {
            unfinishedChildren.add("child " + i);
          }
        }
      });

      Exception blockFailure = new Exception("block");
      boolean blockFailed = false;
      for (int step : plan.order) {
        if (step == n) {
          if (plan.block == Block.FAILURE) {
            blockFailed = block.completeExceptionally(blockFailure); // false if cancelled (G3)
          } else {
            block.complete("block");
          }
          continue;
        }
        Child kind = plan.children.get(step);
        CompletableFuture<String> source = sources.get(step);
        RuntimeException failure = new RuntimeException("late " + step + " " + kind);
        switch (kind) {
          case SUCCESS_LATER:
            source.complete("later");
            break;
          case FAILURE_LATER:
          case IGNORES_CANCEL_THEN_FAILS:
            if (source.completeExceptionally(failure)) {
              produced.add(failure);
            }
            break;
          case HAND_CANCEL:
            returned.get(step).cancel(true);
            break;
          default:
            break;
        }
      }

      assertEquals(1, outcomes.get(), "exactly one outcome, once every step has run");
      assertEquals(List.of(), unfinishedChildren, "the group finished before these children");
      uncaught.assertNone();
      if (produced.isEmpty() && !blockFailed) {
        assertEquals("block", Await.value(result));
        return;
      }
      Throwable outcome = Await.failure(result);
      assertSame(produced.isEmpty() ? blockFailure : produced.get(0), outcome,
          "the first child failure, else the block's");
      for (Throwable failure : produced) {
        assertTrue(Failures.reaches(outcome, failure), () -> "not reachable: " + failure);
      }
      if (blockFailed) {
        assertTrue(Failures.reaches(outcome, blockFailure), "the block's failure is reachable");
      }
      assertFalse(outcome instanceof CancellationException, "the group's own cancels are no failure");
    }
  }
}
