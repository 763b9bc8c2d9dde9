package dev.asyncwith;

import static dev.asyncwith.Generators.async;
import static dev.asyncwith.Generators.blocking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Thousands of {@code call}s from many threads at once, over the three kinds of resources, with
 * enters and exits that complete on the calling thread or on others: every resource is torn down
 * exactly once, every block runs on its calling thread, and every outcome is the expected one.
 */
class CallConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 1_000;

  @Test
  void everyCallTearsDownExactlyOnceOnItsOwnThread() throws Exception {
    ConcurrentHashMap<Integer, AtomicInteger> teardowns = new ConcurrentHashMap<>();
    List<String> problems = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      threads.add(
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    int id = thread * CALLS_PER_THREAD + i;
                    teardowns.put(id, new AtomicInteger());
                    oneCall(id, teardowns.get(id), problems);
                  }
                } catch (Throwable unexpected) {
                  problems.add("thread " + thread + ": " + unexpected);
                }
              },
              "call-concurrency-" + t));
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (Thread thread : threads) {
      Generators.assertEnds(thread);
    }
    assertEquals(List.of(), problems);
    assertEquals(THREADS * CALLS_PER_THREAD, teardowns.size());
    teardowns.forEach(
        (id, count) -> assertEquals(1, count.get(), () -> "call " + id + " torn down " + count));
  }

  /** One call; which resource and which outcome depend on {@code id}. */
  private static void oneCall(int id, AtomicInteger teardown, List<String> problems)
      throws Exception {
    Thread caller = Thread.currentThread();
    boolean fails = id % 3 == 0;
    AsyncResource<Integer> resource = resource(id, teardown);
    CallRuleTest.Checked failure = new CallRuleTest.Checked("block " + id);
    try {
      Integer result =
          resource.call(
              value -> {
                if (Thread.currentThread() != caller) {
                  problems.add("call " + id + ": the block ran on " + Thread.currentThread());
                }
                if (teardown.get() != 0) {
                  problems.add("call " + id + ": torn down before its block ended");
                }
                if (fails) {
                  throw failure;
                }
                return value;
              });
      if (fails || result != id) {
        problems.add("call " + id + " returned " + result);
      }
    } catch (CallRuleTest.Checked thrown) {
      if (thrown != failure) {
        problems.add("call " + id + " threw another failure: " + thrown);
      }
    }
    if (teardown.get() != 1) {
      problems.add("call " + id + " returned before its teardown: " + teardown.get());
    }
  }

  private static AsyncResource<Integer> resource(int id, AtomicInteger teardown) {
    switch (id % 4) {
      case 0:
        return blocking(
            "Concurrent.blocking",
            yield -> {
              try {
                yield.yield(id);
              } finally {
                teardown.incrementAndGet();
              }
            });
      case 1:
        return async(
            "Concurrent.nonBlocking",
            yield -> yield.yield(id).whenComplete((v, f) -> teardown.incrementAndGet()));
      case 2:
        // Setup and teardown complete on another thread.
        return async(
            "Concurrent.elsewhere",
            yield ->
                CompletableFuture.supplyAsync(() -> id, Generators.POOL)
                    .thenCompose(
                        value ->
                            yield
                                .yield(value)
                                .handleAsync(
                                    (v, f) -> {
                                      teardown.incrementAndGet();
                                      return f == null
                                          ? CompletableFuture.<Void>completedFuture(null)
                                          : CompletableFuture.<Void>failedFuture(f);
                                    },
                                    Generators.POOL)
                                .thenCompose(stage -> stage)));
      default:
        return new RecordingResource<>("hand", id)
            .onEnter(() -> CompletableFuture.supplyAsync(() -> id, Generators.POOL))
            .onExit(
                failure ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          teardown.incrementAndGet();
                          return false;
                        },
                        Generators.POOL));
    }
  }

  @Test
  void manyThreadsEachRunTheirOwnBlockingManagersWithoutHandOffs() throws Exception {
    AtomicInteger wrongThread = new AtomicInteger();
    AtomicInteger total = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      threads.add(
          new Thread(
              () -> {
                Thread self = Thread.currentThread();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                  try {
                    blocking(
                            "Concurrent.own",
                            yield -> {
                              if (Thread.currentThread() != self) {
                                wrongThread.incrementAndGet();
                              }
                              yield.yield(self);
                              total.incrementAndGet();
                            })
                        .call(value -> value);
                  } catch (Exception e) {
                    wrongThread.incrementAndGet();
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      Generators.assertEnds(thread);
    }
    assertEquals(0, wrongThread.get());
    assertEquals(THREADS * CALLS_PER_THREAD, total.get());
    assertTrue(threads.stream().noneMatch(Thread::isAlive));
  }
}
