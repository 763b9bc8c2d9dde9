package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** G6: the group used from several threads at once, its children completing anywhere. */
class AsyncTaskGroupConcurrencyTest {

  private static final int THREADS = 8;
  private static final int CHILDREN = 10_000;

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stopThePool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(Await.SECONDS, TimeUnit.SECONDS));
  }

  @RepeatedTest(5)
  void tenThousandChildrenCompletingOnEightThreads() {
    AtomicLong sum = new AtomicLong();
    AtomicInteger grandchildren = new AtomicInteger();
    ConcurrentLinkedQueue<CompletableFuture<Integer>> returned = new ConcurrentLinkedQueue<>();
    CompletableFuture<String> result = new AsyncTaskGroup().use(tg -> {
      // Eight spawners on the pool's threads, spawning at once; each child completes on the pool,
      // and every tenth spawns a grandchild from there, possibly while the group already exits.
      List<CompletableFuture<Void>> spawners = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int first = t * (CHILDREN / THREADS);
        spawners.add(CompletableFuture.runAsync(() -> {
          for (int i = first; i < first + CHILDREN / THREADS; i++) {
            int value = i;
            returned.add(tg.spawn(() -> CompletableFuture.supplyAsync(() -> value, pool)
                .thenCompose(v -> {
                  sum.addAndGet(v);
                  if (v % 10 == 0) {
                    returned.add(tg.spawn(() -> CompletableFuture.supplyAsync(() -> {
                      grandchildren.incrementAndGet();
                      return 0;
                    }, pool)));
                  }
                  return CompletableFuture.completedFuture(v);
                })));
          }
        }, pool));
      }
      return CompletableFuture.allOf(spawners.toArray(new CompletableFuture<?>[0]))
          .thenApply(v -> "block");
    });
    assertEquals("block", Await.value(result));
    long expected = (long) CHILDREN * (CHILDREN - 1) / 2;
    assertEquals(expected, sum.get());
    assertEquals(CHILDREN / 10, grandchildren.get());
    assertEquals(CHILDREN + CHILDREN / 10, returned.size());
    for (CompletableFuture<Integer> child : returned) {
      assertTrue(child.isDone() && !child.isCompletedExceptionally(), "every child ended first");
    }
  }

  @RepeatedTest(5)
  void oneFailureAmongTenThousandCancelsTheRestAndIsTheOutcome() {
    IllegalStateException failure = new IllegalStateException("child 5000");
    ConcurrentLinkedQueue<CompletableFuture<Integer>> returned = new ConcurrentLinkedQueue<>();
    CompletableFuture<Integer> result = new AsyncTaskGroup().use(tg -> {
      for (int i = 0; i < CHILDREN; i++) {
        int value = i;
        returned.add(tg.spawn(() -> CompletableFuture.supplyAsync(() -> {
          if (value == CHILDREN / 2) {
            throw failure;
          }
          return value;
        }, pool)));
      }
      return new CompletableFuture<>(); // ends only when the failure cancels it (G3)
    });
    assertSame(failure, Await.failure(result));
    for (CompletableFuture<Integer> child : returned) {
      assertTrue(child.isDone(), "every child ended before the group");
    }
  }

  @Test
  void aSpawnRacingTheFinishEitherRunsInsideTheGroupOrIsRefused() {
    for (int round = 0; round < 200; round++) {
      AsyncTaskGroup group = new AsyncTaskGroup();
      AtomicBoolean finished = new AtomicBoolean();
      AtomicInteger calledAfterFinish = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      CompletableFuture<String> result = group.use(tg -> {
        tg.spawn(() -> CompletableFuture.supplyAsync(() -> "child", pool));
        return CompletableFuture.completedFuture("block");
      });
      result.whenComplete((v, f) -> finished.set(true));
      CompletableFuture<Void> racer = CompletableFuture.runAsync(() -> {
        while (true) {
          CompletableFuture<Object> child = group.spawn(() -> {
            if (finished.get()) {
              calledAfterFinish.incrementAndGet();
            }
            return CompletableFuture.completedFuture(null);
          });
          if (child.isCompletedExceptionally()) {
            refused.incrementAndGet();
            assertInstanceOf(IllegalStateException.class, Failures.unwrap(Await.failure(child)));
            return;
          }
        }
      }, pool);
      Await.value(result);
      Await.value(racer);
      assertEquals(0, calledAfterFinish.get(), "a task ran after the group had finished");
      assertEquals(1, refused.get(), "once finished, spawn is refused");
    }
  }
}
