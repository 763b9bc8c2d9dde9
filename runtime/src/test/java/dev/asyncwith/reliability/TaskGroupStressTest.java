package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.AsyncTaskGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Thousands of task groups whose children succeed, fail, ignore the cancel and fail, or are
 * cancelled by hand, all on eight pool threads, spawning from those threads while the group exits:
 * every group finishes only after every child, and its outcome reaches every failure produced.
 */
@Tag("stress")
class TaskGroupStressTest {

  private static final int GROUPS = 2_000;
  private static final int CHILDREN = 40;

  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  /** Pool tasks that have finished ending their child, this round. */
  private final AtomicInteger settled = new AtomicInteger();

  @AfterEach
  void stopThePool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void everyGroupWaitsForEveryChildAndLosesNoFailure() throws Exception {
    for (int round = 0; round < GROUPS; round++) {
      AsyncTaskGroup group = new AsyncTaskGroup();
      group.enter().toCompletableFuture().join();
      ConcurrentLinkedQueue<Throwable> produced = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<CompletableFuture<?>> sources = new ConcurrentLinkedQueue<>();
      List<CompletableFuture<Void>> spawners = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        spawners.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < CHILDREN / 4; i++) {
            spawnRandomChild(group, produced, sources, 1);
          }
        }, pool));
      }
      CompletableFuture.allOf(spawners.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
      CompletableFuture<Boolean> exited = group.exit(null).toCompletableFuture();
      List<String> unfinished = new ArrayList<>();
      CompletableFuture<Throwable> outcome = exited.handle((suppress, failure) -> {
        for (CompletableFuture<?> source : sources) {
          if (!source.isDone()) {
            unfinished.add(source.toString());
          }
        }
        assertFalse(Boolean.TRUE.equals(suppress), "a group never suppresses");
        return failure;
      });
      Throwable failure = outcome.get(10, TimeUnit.SECONDS);
      assertEquals(List.of(), unfinished, "round " + round + ": finished before these children");
      // A pool task records its failure just after completing the child with it, which may end
      // the group first: wait for every pool task that ended a child to have finished.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (settled.get() < sources.size()) {
        assertTrue(System.nanoTime() < deadline, "round " + round + ": pool tasks still running");
        Thread.onSpinWait();
      }
      settled.set(0);
      if (produced.isEmpty()) {
        assertEquals(null, failure, "round " + round);
        continue;
      }
      Throwable first = failure instanceof CompletionException ? failure.getCause() : failure;
      Set<Throwable> reachable = reachable(first);
      for (Throwable expected : produced) {
        assertTrue(reachable.contains(expected), "round " + round + ": lost " + expected);
      }
      assertFalse(first instanceof CancellationException, "round " + round);
    }
  }

  /**
   * A child that ends on the pool in one of four ways; some spawn a grandchild as they end, which
   * the group may refuse if it has just finished (then that task is never called).
   */
  private void spawnRandomChild(
      AsyncTaskGroup group,
      ConcurrentLinkedQueue<Throwable> produced,
      ConcurrentLinkedQueue<CompletableFuture<?>> sources,
      int generations) {
    int kind = ThreadLocalRandom.current().nextInt(8);
    CompletableFuture<CompletableFuture<String>> returned = new CompletableFuture<>();
    returned.complete(group.spawn(() -> {
      CompletableFuture<String> source = new CompletableFuture<>();
      sources.add(source);
      if (generations > 0 && kind % 2 == 0) {
        source.whenComplete((v, f) -> spawnRandomChild(group, produced, sources, generations - 1));
      }
      pool.execute(() -> {
        RuntimeException failure = new RuntimeException("child failure");
        switch (kind) {
          case 1:
          case 3: // 3 ignores the group's cancel: its failure always happens
            if (source.completeExceptionally(failure)) {
              produced.add(failure);
            }
            break;
          case 5:
            returned.join().cancel(true);
            break;
          default:
            source.complete("value");
            break;
        }
        settled.incrementAndGet();
      });
      return kind == 3 ? source.minimalCompletionStage() : source;
    }));
  }

  private static Set<Throwable> reachable(Throwable from) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> pending = new ArrayList<>(List.of(from));
    while (!pending.isEmpty()) {
      Throwable next = pending.remove(pending.size() - 1);
      if (next == null || !seen.add(next)) {
        continue;
      }
      pending.add(next.getCause());
      Collections.addAll(pending, next.getSuppressed());
    }
    return seen;
  }
}
