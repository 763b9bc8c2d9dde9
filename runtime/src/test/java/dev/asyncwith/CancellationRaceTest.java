package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rule 6 under races: the caller's cancel racing the completion of enter, of the block, and of
 * exit on another thread, many times; teardown runs exactly once every time, and nothing but
 * cancellations is lost.
 */
class CancellationRaceTest {

  private static final int ROUNDS = 2_000;
  private static final int STRESS_ROUNDS = 100_000;

  private final List<Throwable> lost = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "racer");
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler((t, failure) -> lost.add(failure));
    return thread;
  });

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(Await.SECONDS, TimeUnit.SECONDS));
  }

  /** Runs {@code first} and {@code second} at the same moment on two threads. */
  private void race(Runnable first, Runnable second) {
    CyclicBarrier start = new CyclicBarrier(2);
    Future<?> a = threads.submit(() -> {
      start.await();
      first.run();
      return null;
    });
    Future<?> b = threads.submit(() -> {
      start.await();
      second.run();
      return null;
    });
    try {
      a.get(Await.SECONDS, TimeUnit.SECONDS);
      b.get(Await.SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertOutcome(CompletableFuture<String> result, String value) {
    Await.until(result::isDone, "the result");
    if (!result.isCancelled()) {
      assertEquals(value, Await.value(result));
    }
  }

  private void cancelRacingTheBlock(int rounds) {
    for (int round = 0; round < rounds; round++) {
      RecordingResource<String> resource = RecordingResource.named("r");
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = resource.use(v -> block);
      race(() -> block.complete("v"), () -> result.cancel(true));
      Await.until(() -> resource.exits.get() == 1, "exit");
      assertOutcome(result, "v");
      Throwable exitFailure = resource.exitFailure();
      if (exitFailure != null) {
        assertInstanceOf(CancellationException.class, exitFailure);
      }
    }
    assertEquals(List.of(), lost);
  }

  @Test
  void cancelRacingTheBlocksCompletion() {
    cancelRacingTheBlock(ROUNDS);
  }

  @Tag("stress")
  @Test
  void cancelRacingTheBlocksCompletionStress() {
    cancelRacingTheBlock(STRESS_ROUNDS);
  }

  private void cancelRacingEnter(int rounds) {
    for (int round = 0; round < rounds; round++) {
      RecordingResource<String> resource = RecordingResource.named("r").pendingEnter();
      AtomicInteger bodyRuns = new AtomicInteger();
      CompletableFuture<String> result = resource.use(v -> {
        bodyRuns.incrementAndGet();
        return CompletableFuture.completedFuture("v");
      });
      CompletableFuture<String> entering = resource.enterStage;
      race(() -> entering.complete("entered"), () -> result.cancel(true));
      Await.until(() -> resource.exits.get() == 1, "exit");
      assertOutcome(result, "v");
      assertTrue(bodyRuns.get() <= 1);
      assertEquals(1, resource.exits.get());
    }
    assertEquals(List.of(), lost);
  }

  @Test
  void cancelRacingEntersCompletion() {
    cancelRacingEnter(ROUNDS);
  }

  @Tag("stress")
  @Test
  void cancelRacingEntersCompletionStress() {
    cancelRacingEnter(STRESS_ROUNDS);
  }

  private void cancelRacingExit(int rounds) {
    for (int round = 0; round < rounds; round++) {
      RecordingResource<String> resource = RecordingResource.named("r").pendingExit();
      CompletableFuture<String> result = resource.use(v -> CompletableFuture.completedFuture("v"));
      CompletableFuture<Boolean> exiting = resource.exitStage;
      race(() -> exiting.complete(false), () -> result.cancel(true));
      assertOutcome(result, "v");
      assertEquals(1, resource.exits.get());
    }
    assertEquals(List.of(), lost);
  }

  @Test
  void cancelRacingExitsCompletion() {
    cancelRacingExit(ROUNDS);
  }

  private void cancelRacingNestedBlock(int rounds) {
    for (int round = 0; round < rounds; round++) {
      RecordingResource<String> outer = RecordingResource.named("outer");
      RecordingResource<String> inner = RecordingResource.named("inner");
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = AsyncWith.with(outer, inner, (o, i) -> block);
      race(() -> block.complete("v"), () -> result.cancel(true));
      Await.until(() -> outer.exits.get() == 1, "outer exit");
      assertEquals(1, inner.exits.get());
      assertOutcome(result, "v");
    }
    assertEquals(List.of(), lost);
  }

  @Test
  void cancelRacingANestedBlocksCompletion() {
    cancelRacingNestedBlock(ROUNDS);
  }

  @Test
  void deadlineRacingTheBlocksCompletion() {
    for (int round = 0; round < ROUNDS / 4; round++) {
      RecordingResource<String> resource = RecordingResource.named("r");
      CompletableFuture<String> block = new CompletableFuture<>();
      CompletableFuture<String> result = resource.use(Duration.ofNanos(50_000), v -> block);
      threads.execute(() -> block.complete("v"));
      Await.until(result::isDone, "the result");
      assertEquals(1, resource.exits.get());
      if (result.isCompletedExceptionally()) {
        assertInstanceOf(TimeoutException.class, Await.failure(result));
      } else {
        assertEquals("v", Await.value(result));
      }
    }
    assertEquals(List.of(), lost);
  }
}
