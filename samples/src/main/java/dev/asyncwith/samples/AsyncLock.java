package dev.asyncwith.samples;

import static dev.asyncwith.samples.Samples.await;
import static dev.asyncwith.samples.Samples.check;
import static dev.asyncwith.samples.Samples.pause;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Mutual exclusion with asynchronous managers: many tasks run at once, each updating a shared
 * counter with a read, an awaited pause, and a write. Without a lock, updates would be lost (two
 * tasks read the same value); inside {@code async with lock:} none is.
 *
 * <ul>
 *   <li>A non-blocking lock: {@link AsyncSemaphore} with one permit, through
 *       {@code LocksAcquired}; then three permits, where at most three tasks are inside at once.
 *   <li>A blocking-style manager over {@link ReentrantLock}, through {@code LocksHolding}: the
 *       lock is taken and released on the generator's own thread, and each block starts on that
 *       thread, holding the lock.
 *   <li>The same blocking-style manager through {@code call}, from many threads that may block
 *       (virtual threads on JDK 21+): lock, block and unlock all run on each calling thread, with
 *       no thread started.
 * </ul>
 */
public final class AsyncLock implements Sample {

  /** How many tasks contend for the non-blocking lock. */
  static final int TASKS = 100;

  /** How many tasks contend for the blocking-style lock (each holds a thread while it waits). */
  static final int BLOCKING_TASKS = 20;

  /** The awaited pause between a task's read and its write. */
  static final Duration WORK = Duration.ofMillis(1);

  /** Creates the sample. */
  public AsyncLock() {}

  @Override
  public String name() {
    return "async-lock";
  }

  @Override
  public String summary() {
    return "a non-blocking lock and semaphore, and a blocking-style ReentrantLock through use and"
        + " call, under contention";
  }

  @Override
  public void run(PrintStream out, List<String> args) throws Exception {
    out.println("-- a non-blocking lock (AsyncSemaphore with 1 permit), " + TASKS + " concurrent tasks");
    CriticalSection lock = new CriticalSection();
    AsyncSemaphore mutex = new AsyncSemaphore(1);
    awaitAll(TASKS, () -> LocksAcquired.of(mutex).use(ignored -> lock.enter()));
    out.println("most tasks inside at once: " + lock.peak());
    out.println("counter: " + lock.counter() + " (no update lost)");
    check(lock.peak() == 1, "one task at a time holds the lock");
    check(lock.counter() == TASKS, "no update is lost under the lock");

    int permits = 3;
    out.println("-- a semaphore with " + permits + " permits, " + TASKS + " concurrent tasks");
    CriticalSection shared = new CriticalSection();
    AsyncSemaphore semaphore = new AsyncSemaphore(permits);
    awaitAll(TASKS, () -> LocksAcquired.of(semaphore).use(ignored -> shared.enter()));
    out.println("never more than " + permits + " inside at once: " + (shared.peak() <= permits));
    check(shared.peak() <= permits, "at most " + permits + " tasks hold a permit at once");

    out.println("-- a blocking-style manager over ReentrantLock, " + BLOCKING_TASKS + " concurrent tasks");
    CriticalSection guarded = new CriticalSection();
    ReentrantLock reentrantLock = new ReentrantLock();
    AtomicInteger startedHoldingLock = new AtomicInteger();
    awaitAll(
        BLOCKING_TASKS,
        () ->
            LocksHolding.of(reentrantLock)
                .use(
                    held -> {
                      // The block starts on the generator's thread, the one that locked.
                      if (held.isHeldByCurrentThread()) {
                        startedHoldingLock.incrementAndGet();
                      }
                      return guarded.enter();
                    }));
    out.println(
        "blocks that started on the thread holding the lock: "
            + startedHoldingLock.get() + " of " + BLOCKING_TASKS);
    out.println("counter: " + guarded.counter() + " (no update lost)");
    // Had any unlock run on another thread than its lock, ReentrantLock would have thrown
    // IllegalMonitorStateException and failed that task; and the lock would still be held.
    out.println("lock free afterwards: " + !reentrantLock.isLocked());
    check(guarded.peak() == 1, "one task at a time holds the ReentrantLock");
    check(guarded.counter() == BLOCKING_TASKS, "no update is lost under the ReentrantLock");
    check(startedHoldingLock.get() == BLOCKING_TASKS, "every block starts holding the lock");
    check(!reentrantLock.isLocked(), "every lock is unlocked");

    out.println(
        "-- the same blocking-style manager through call, " + CALLING_THREADS
            + " threads that may block");
    int[] counter = {0}; // deliberately not atomic: only the lock protects it
    AtomicInteger onCallingThreadHoldingLock = new AtomicInteger();
    ReentrantLock callLock = new ReentrantLock();
    List<Callable<Void>> callers = new ArrayList<>();
    for (int i = 0; i < CALLING_THREADS; i++) {
      callers.add(() -> incrementUnderLock(callLock, counter, onCallingThreadHoldingLock));
    }
    ExecutorService threads = ThreadPerTask.executor("locking-");
    try {
      for (Future<Void> caller : threads.invokeAll(callers)) {
        caller.get();
      }
    } finally {
      threads.shutdown();
    }
    out.println(
        "blocks that ran on their calling thread, holding the lock: "
            + onCallingThreadHoldingLock.get() + " of " + CALLING_THREADS);
    out.println("counter: " + counter[0] + " (no update lost)");
    out.println("lock free afterwards: " + !callLock.isLocked());
    check(onCallingThreadHoldingLock.get() == CALLING_THREADS, "every block holds the lock");
    check(counter[0] == CALLING_THREADS, "no update is lost under the ReentrantLock");
    check(!callLock.isLocked(), "every lock is unlocked");
  }

  /** How many threads take the blocking-style lock through {@code call}. */
  static final int CALLING_THREADS = 50;

  /**
   * One caller's turn through {@code call}: Python's {@code with holding(lock) as held:}. The
   * generated manager locks, runs the block and unlocks right here, on the calling thread, which
   * waits for the lock as {@code lock.lock()} does; no thread is started.
   */
  private static Void incrementUnderLock(
      ReentrantLock lock, int[] shared, AtomicInteger onCallingThreadHoldingLock)
      throws Exception {
    Thread caller = Thread.currentThread();
    return LocksHolding.of(lock)
        .call(
            held -> {
              if (Thread.currentThread() == caller && held.isHeldByCurrentThread()) {
                onCallingThreadHoldingLock.incrementAndGet();
              }
              int seen = shared[0];
              Thread.sleep(WORK.toMillis()); // blocks while holding the lock: a lost update would show
              shared[0] = seen + 1;
              return null;
            });
  }

  /** Starts {@code count} tasks at once, then waits for all of them. */
  private static void awaitAll(int count, Supplier<CompletableFuture<Void>> task)
      throws Exception {
    List<CompletableFuture<Void>> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tasks.add(task.get());
    }
    await(CompletableFuture.allOf(tasks.toArray(new CompletableFuture<?>[0])));
  }

  /**
   * The shared state the tasks contend for: a counter updated by read, awaited pause, write (a
   * lost update shows as a final count below the number of tasks), and a record of how many tasks
   * were inside at once.
   */
  static final class CriticalSection {
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    // Deliberately not atomic: only the lock protects it. The lock's hand-off (a monitor or a
    // ReentrantLock, then a completed future) orders one task's write before the next one's read.
    private int counter;

    /** One task's turn: read the counter, pause without blocking, write it back plus one. */
    CompletableFuture<Void> enter() {
      peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
      int seen = counter;
      return pause(WORK)
          .thenRun(
              () -> {
                counter = seen + 1;
                inside.decrementAndGet();
              });
    }

    int peak() {
      return peak.get();
    }

    int counter() {
      return counter;
    }
  }
}
