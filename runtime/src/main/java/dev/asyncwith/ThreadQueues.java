package dev.asyncwith;

/**
 * What a thread runs before it blocks: the work its own trampolines have queued.
 *
 * <p>The runtime keeps the stack flat ({@code docs/RULES.md} rule 7) with two per-thread queues:
 * statement ends ({@link Statement}'s trampoline) and cancels ({@link Stages#cancel}). While a
 * thread drains one, the work it causes on the same thread is queued behind the work under way
 * instead of running inside it. User code runs inside that work (a result's dependents, a
 * cancelled stage's dependents); if it blocks there, in {@code call} or {@code
 * enterContextAndWait}, waiting for a stage that queued work would complete, it would wait for
 * itself: the queue is drained only once it returns. So a thread about to block first runs what
 * its queues hold, one item after another in a loop, as the drain would have: a blocking wait
 * never waits for work queued on its own thread, and the stack grows by this loop, not with the
 * queue.
 */
final class ThreadQueues {
  private ThreadQueues() {}

  /**
   * Runs every statement end and cancel queued on the current thread, including those they queue
   * in turn, until both queues are empty. Does nothing on a thread that drains neither.
   */
  static void runBeforeBlocking() {
    boolean ran;
    do {
      ran = Statement.finishQueuedHere();
      ran |= Stages.cancelQueuedHere();
    } while (ran);
  }
}
