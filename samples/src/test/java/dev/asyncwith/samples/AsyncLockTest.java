package dev.asyncwith.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class AsyncLockTest {

  @Test
  void manyConcurrentTasksNeverOverlapUnderEitherLock() throws Exception {
    Output output = new Output();

    new AsyncLock().run(output.stream(), List.of());

    assertEquals(
        List.of(
            "-- a non-blocking lock (AsyncSemaphore with 1 permit), 100 concurrent tasks",
            "most tasks inside at once: 1",
            "counter: 100 (no update lost)",
            "-- a semaphore with 3 permits, 100 concurrent tasks",
            "never more than 3 inside at once: true",
            "-- a blocking-style manager over ReentrantLock, 20 concurrent tasks",
            "blocks that started on the thread holding the lock: 20 of 20",
            "counter: 20 (no update lost)",
            "lock free afterwards: true",
            "-- the same blocking-style manager through call, 50 threads that may block",
            "blocks that ran on their calling thread, holding the lock: 50 of 50",
            "counter: 50 (no update lost)",
            "lock free afterwards: true"),
        output.lines());
  }

  @Test
  void theBlockingManagerLocksAndUnlocksOnTheSameThreadOfItsOwn() throws Exception {
    RecordingLock lock = new RecordingLock();

    LocksHolding.of(lock).use(held -> CompletableFuture.completedFuture(null)).get(10, TimeUnit.SECONDS);

    assertEquals(1, lock.lockedOn.size());
    assertEquals(1, lock.unlockedOn.size());
    Thread generator = lock.lockedOn.get(0);
    assertSame(generator, lock.unlockedOn.get(0), "unlock runs on the thread that locked");
    assertNotSame(Thread.currentThread(), generator, "the method runs on a thread of its own");
    assertTrue(
        generator.getName().toLowerCase(Locale.ROOT).contains("holding"),
        "the generator thread is named after the method: " + generator.getName());
    assertFalse(lock.isLocked());
  }

  @Test
  void throughCallTheBlockingManagerLocksAndUnlocksOnTheCallingThread() throws Exception {
    RecordingLock lock = new RecordingLock();

    String result = LocksHolding.of(lock).call(held -> held.isHeldByCurrentThread() ? "held" : "not");

    assertEquals("held", result);
    assertEquals(List.of(Thread.currentThread()), lock.lockedOn, "locked on the calling thread");
    assertEquals(List.of(Thread.currentThread()), lock.unlockedOn, "unlocked there too");
    assertFalse(lock.isLocked());
  }

  @Test
  void throughCallTheLockIsReleasedWhenTheBlockThrowsACheckedException() {
    RecordingLock lock = new RecordingLock();
    java.io.IOException failure = new java.io.IOException("block failed");

    java.io.IOException thrown =
        assertThrows(
            java.io.IOException.class,
            () ->
                LocksHolding.of(lock)
                    .call(
                        held -> {
                          throw failure;
                        }));

    assertSame(failure, thrown);
    assertFalse(lock.isLocked());
    assertEquals(lock.lockedOn, lock.unlockedOn);
  }

  @Test
  void theBlockingManagerUnlocksWhenTheBlockFailsAsynchronouslyOnAnotherThread() throws Exception {
    RecordingLock lock = new RecordingLock();
    IllegalStateException failure = new IllegalStateException("block failed");

    CompletableFuture<Void> statement =
        LocksHolding.of(lock)
            .use(held -> CompletableFuture.runAsync(() -> { throw failure; }));

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> statement.get(10, TimeUnit.SECONDS));
    assertSame(failure, thrown.getCause());
    assertFalse(lock.isLocked());
    assertSame(lock.lockedOn.get(0), lock.unlockedOn.get(0));
  }

  @Test
  void theNonBlockingManagerGivesThePermitBackWhenTheBlockFails() throws Exception {
    AsyncSemaphore semaphore = new AsyncSemaphore(1);
    IllegalStateException failure = new IllegalStateException("block failed");

    CompletableFuture<Void> failed =
        LocksAcquired.of(semaphore).use(ignored -> CompletableFuture.failedFuture(failure));

    ExecutionException thrown =
        assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
    assertSame(failure, thrown.getCause());
    assertTrue(
        semaphore.acquire().toCompletableFuture().isDone(), "the permit was released after the failure");
  }

  @Test
  void theSemaphoreServesWaitersFirstComeFirstServed() {
    AsyncSemaphore semaphore = new AsyncSemaphore(1);
    List<Integer> served = new ArrayList<>();
    semaphore.acquire();
    for (int i = 0; i < 3; i++) {
      int waiter = i;
      semaphore.acquire().thenRun(() -> served.add(waiter));
    }

    semaphore.release();
    semaphore.release();
    semaphore.release();

    assertEquals(List.of(0, 1, 2), served);
  }

  @Test
  void aCancelledWaiterDoesNotSwallowThePermit() {
    AsyncSemaphore semaphore = new AsyncSemaphore(1);
    semaphore.acquire();
    CompletableFuture<Void> cancelled = semaphore.acquire().toCompletableFuture();
    CompletableFuture<Void> next = semaphore.acquire().toCompletableFuture();
    cancelled.cancel(true);

    semaphore.release();

    assertTrue(next.isDone(), "the permit goes past the cancelled waiter to the next");
  }

  @Test
  void aSemaphoreNeedsAPermit() {
    assertThrows(IllegalArgumentException.class, () -> new AsyncSemaphore(0));
  }

  /** A ReentrantLock that records the thread of each lock and unlock. */
  private static final class RecordingLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;
    final transient List<Thread> lockedOn = new CopyOnWriteArrayList<>();
    final transient List<Thread> unlockedOn = new CopyOnWriteArrayList<>();

    @Override
    public void lock() {
      super.lock();
      lockedOn.add(Thread.currentThread());
    }

    @Override
    public void unlock() {
      unlockedOn.add(Thread.currentThread());
      super.unlock();
    }
  }
}
