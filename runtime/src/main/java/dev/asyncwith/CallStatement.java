package dev.asyncwith;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * The synchronous statement behind {@link AsyncResource#call} and {@link AsyncWith#call}: Python's
 * {@code with}, one run of enter, block and exit on the calling thread (rules S1 to S6 of {@code
 * docs/RULES.md}, "The synchronous statement {@code call}").
 *
 * <p>The calling thread runs every step it can itself and parks only where a stage it needs is
 * still pending: while waiting for enter (interruptibly, S3) and while waiting for exit (not
 * interruptibly; an interrupt is restored before {@code call} returns or throws). Before it parks
 * it runs what this thread's trampolines have queued ({@link ThreadQueues}): inside a statement's
 * end or a cancel, that may be what the stage waits for. The block always
 * runs on the calling thread: when enter's outcome arrives on the calling thread, inside the call
 * to enter (a synchronous enter, or a non-blocking generator that yields during its setup), the
 * block runs right there, inside the report, so that a generator's yield returns a stage that has
 * already completed; when it arrives on another thread, that thread only hands it over and the
 * calling thread, woken, runs the block.
 *
 * <p>The states, in {@link #phase}, and who moves between them:
 * <pre>
 *   ENTERING  --enter's outcome, on the calling thread-----&gt; IN_BLOCK (the block runs at once)
 *   ENTERING  --enter's outcome, on another thread---------&gt; HANDED_OVER (caller unparked)
 *   ENTERING  --the waiting caller is interrupted----------&gt; ABANDONED (call throws InterruptedException)
 *   HANDED_OVER --the caller wakes-------------------------&gt; IN_BLOCK, or ENDED if enter failed
 *   IN_BLOCK  --the block returned or threw----------------&gt; EXITING (exit is called)
 *   EXITING   --exit's outcome, on any thread--------------&gt; ENDED (caller unparked)
 *   ABANDONED --enter's value arrives----------------------&gt; LATE_EXIT (exit gets a CancellationException)
 *   ABANDONED --enter's failure arrives--------------------&gt; ENDED (the failure goes to the uncaught handler)
 *   LATE_EXIT --exit's outcome-----------------------------&gt; ENDED (a new failure goes to the uncaught handler)
 * </pre>
 * The only race is between the thread that reports enter and the interrupted caller, both leaving
 * {@code ENTERING}: a compare-and-set decides it. Every other step has one writer, and {@link
 * #phase} is volatile, so the fields written before a step are seen by whoever sees the step.
 *
 * <p>A {@link DirectResource} (a generator engine) is driven through {@code enterTo} and {@code
 * exitTo}, with this object as the outcome, so that the generator rules stay in the engines; any
 * other resource through its stages. Rules 4 and 5, as {@code call} applies them, live in {@link
 * #conclude}. The blocking engine does not come here: it runs its method in place ({@link
 * BlockingGenerator#call}) and only concludes here.
 *
 * @param <T> the type of the resource's value
 * @param <R> the type of the block's value
 */
final class CallStatement<T, R> implements DirectResource.Outcome, BiConsumer<Object, Throwable> {

  private static final int ENTERING = 0;
  private static final int HANDED_OVER = 1;
  private static final int IN_BLOCK = 2;
  private static final int EXITING = 3;
  private static final int ENDED = 4;
  private static final int ABANDONED = 5;
  private static final int LATE_EXIT = 6;

  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(CallStatement.class, "phase", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AsyncResource<T> resource;
  /** The block; {@code null} for an enter alone ({@link #enterAndWait}). */
  private Block<? super T, ? extends R> block;
  /** Whether enter and exit go through {@link DirectResource#enterTo} and {@code exitTo}. */
  private final boolean direct;
  private final Thread caller = Thread.currentThread();
  /**
   * Written with release ordering by the calling thread (nobody else writes in those states), and
   * with a volatile write or a compare-and-set by another thread, which then unparks the caller.
   */
  private volatile int phase;
  /**
   * Enter's value, then the block's value; once exit has reported after a failed block (whose
   * value is none), exit's value, a Boolean or {@code null}: by rule 4 it matters only then.
   */
  private Object value;
  /**
   * The failure exit is given (the block's, or the late exit's cancellation); before that, enter's
   * outcome handed over from another thread.
   */
  private Throwable failure;
  /** Exit's failure; enter's failure when enter failed. */
  private Throwable exitFailure;

  private CallStatement(
      AsyncResource<T> resource, Block<? super T, ? extends R> block, boolean direct) {
    this.resource = resource;
    this.block = block;
    this.direct = direct;
  }

  /**
   * Runs {@code with resource as value: block(value)} on the calling thread.
   *
   * @throws NullPointerException if an argument is {@code null}, before anything is entered
   */
  static <T, R> R call(AsyncResource<T> resource, Block<? super T, ? extends R> block)
      throws Exception {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(block, "block");
    return new CallStatement<T, R>(resource, block, resource instanceof DirectResource).run();
  }

  /**
   * Enters {@code resource} through its public {@code enter()} and waits for the value, as {@code
   * call} does (S3): interruptibly, and if interrupted, the enter is left running and its resource
   * is exited once it completes. Failures are thrown as they are.
   */
  static <T> T enterAndWait(AsyncResource<T> resource) throws Exception {
    return new CallStatement<T, T>(resource, null, false).run();
  }

  private R run() throws Exception {
    enter();
    if (phase == ENTERING) {
      awaitEnter();
    }
    if (phase == HANDED_OVER) {
      entered(value, failure);
    }
    if (phase != ENDED) {
      awaitEnd();
    }
    return conclude(value, failure, value, exitFailure);
  }

  // ---------------------------------------------------------------------------------------------
  // The steps.

  private void enter() {
    if (direct) {
      try {
        ((DirectResource<T>) resource).enterTo(this);
      } catch (Throwable thrown) {
        stepThrew(ENTERING, thrown);
      }
      return;
    }
    await(Protocol.enter(resource));
  }

  /** Enter's outcome, on the calling thread: the block runs now, then exit. */
  private void entered(Object entered, Throwable enterFailure) {
    if (enterFailure != null) {
      // Rule 1: nothing was acquired, nothing to exit; call throws enter's failure.
      value = null;
      failure = null;
      exitFailure = Failures.unwrap(enterFailure);
      PHASE.setRelease(this, ENDED);
      return;
    }
    Block<? super T, ? extends R> body = block;
    if (body == null) {
      value = entered; // an enter alone: the value is the outcome
      failure = null;
      PHASE.setRelease(this, ENDED);
      return;
    }
    block = null;
    PHASE.setRelease(this, IN_BLOCK);
    Object result = null;
    Throwable blockFailure = null;
    try {
      @SuppressWarnings("unchecked") // enter's outcome is a T
      T bound = (T) entered;
      result = body.apply(bound);
    } catch (Throwable thrown) {
      blockFailure = Failures.unwrap(thrown);
    }
    value = result;
    failure = blockFailure;
    PHASE.setRelease(this, EXITING);
    exit(blockFailure);
  }

  private void exit(Throwable blockFailure) {
    if (direct) {
      int step = phase; // EXITING, or LATE_EXIT
      try {
        ((DirectResource<T>) resource).exitTo(blockFailure, this);
      } catch (Throwable thrown) {
        stepThrew(step, thrown);
      }
      return;
    }
    await(Protocol.exit(resource, blockFailure));
  }

  /** Reads {@code stage} at once when it has completed, else attaches to it. */
  private void await(CompletionStage<?> stage) {
    Object now = Stages.now(stage);
    if (now != Stages.PENDING) {
      accept(now, null);
      return;
    }
    Throwable failed = Stages.failureNow(stage);
    if (failed != null) {
      accept(null, failed);
      return;
    }
    try {
      stage.whenComplete(this);
    } catch (Throwable thrown) {
      accept(null, thrown); // a stage that cannot be attached to counts as failed with it
    }
  }

  /**
   * The outcome of the step under way: enter's, or exit's. Reached through {@link
   * DirectResource.Outcome} and the stages attached to, never by the user (the class is internal).
   */
  @Override
  public void accept(Object result, Throwable thrown) {
    try {
      switch (phase) {
        case ENTERING:
          if (Thread.currentThread() == caller) {
            entered(result, thrown); // inside enter, on the calling thread: the block runs here
          } else {
            handOver(result, thrown);
          }
          break;
        case EXITING:
          exited(result, thrown);
          break;
        case ABANDONED:
          lateEnter(result, thrown);
          break;
        case LATE_EXIT:
          phase = ENDED;
          GeneratorOutcome.reportIfNew(thrown, failure);
          break;
        default:
          break; // a stage that called back twice: the statement has moved on
      }
    } catch (Throwable bug) {
      Failures.reportUncaught(bug);
    }
  }

  /** Enter's outcome on another thread: hand it to the calling thread, unless it gave up. */
  private void handOver(Object result, Throwable thrown) {
    value = result;
    failure = thrown;
    if (PHASE.compareAndSet(this, ENTERING, HANDED_OVER)) {
      LockSupport.unpark(caller);
    } else {
      lateEnter(result, thrown); // the caller was interrupted meanwhile
    }
  }

  private void exited(Object result, Throwable thrown) {
    if (failure != null) {
      value = result; // exit's Boolean, which only a failed block (no value) needs (rule 4)
    }
    exitFailure = thrown == null ? null : Failures.unwrap(thrown);
    if (Thread.currentThread() == caller) {
      PHASE.setRelease(this, ENDED);
    } else {
      phase = ENDED;
      LockSupport.unpark(caller);
    }
  }

  /**
   * S3: enter completed after the caller stopped waiting for it. What it acquired is released: exit
   * runs with a {@link CancellationException}, and nobody can receive a failure any more.
   */
  private void lateEnter(Object result, Throwable thrown) {
    if (thrown != null) {
      phase = ENDED;
      Throwable lost = Failures.unwrap(thrown);
      if (!(lost instanceof CancellationException)) {
        Failures.reportUncaught(lost);
      }
      return;
    }
    CancellationException cancellation =
        new CancellationException(
            "call was interrupted while " + resourceName() + " was entering; the block did not run");
    failure = cancellation;
    phase = LATE_EXIT;
    exit(cancellation);
  }

  /** A direct step threw: the step fails with it, or, once it has reported, nobody can see it. */
  private void stepThrew(int step, Throwable thrown) {
    if (phase == step) {
      accept(null, thrown);
    } else {
      Failures.reportUncaught(thrown);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting.

  /** S3: waits for enter, interruptibly; an interrupt abandons the enter to {@link #lateEnter}. */
  private void awaitEnter() throws InterruptedException {
    while (phase == ENTERING) {
      ThreadQueues.runBeforeBlocking(); // what this thread queued may be what enter waits for
      if (phase != ENTERING) {
        return;
      }
      if (Thread.interrupted()) {
        if (PHASE.compareAndSet(this, ENTERING, ABANDONED)) {
          throw new InterruptedException(
              "interrupted while waiting for " + resourceName() + " to enter; the block did not"
                  + " run, and the resource is exited once its enter completes");
        }
        Thread.currentThread().interrupt(); // enter won the race: go on, the block sees it
        return;
      }
      LockSupport.park(this);
    }
  }

  /** S3: waits for exit, not interruptibly; an interrupt received meanwhile is restored. */
  private void awaitEnd() {
    boolean interrupted = false;
    while (phase != ENDED) {
      ThreadQueues.runBeforeBlocking(); // what this thread queued may be what exit waits for
      if (phase == ENDED) {
        break;
      }
      LockSupport.park(this);
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private String resourceName() {
    return resource.getClass().getName();
  }

  // ---------------------------------------------------------------------------------------------
  // The outcome, for this statement and for the blocking engine's call.

  /**
   * Rules 4 and 5 as {@code call} applies them (S1, S2): exit's failure wins, with the block's
   * attached; a suppressed failure makes the value {@code null}; otherwise the block's failure or
   * value stands. Every failure is thrown as the very object.
   *
   * @param value the block's value
   * @param blockFailure the block's failure, unwrapped, or {@code null}
   * @param suppress exit's value: {@code Boolean.TRUE} suppresses a failure
   * @param exitFailure exit's failure (or enter's, when enter failed), or {@code null}
   */
  static <R> R conclude(Object value, Throwable blockFailure, Object suppress, Throwable exitFailure)
      throws Exception {
    Throwable stands = Failures.afterExit(blockFailure, suppress, exitFailure);
    if (stands != null) {
      throw CallStatement.<Exception>asThrown(stands);
    }
    @SuppressWarnings("unchecked") // the block returned an R
    R result = blockFailure == null ? (R) value : null;
    return result;
  }

  /**
   * Throws {@code failure} as it is, whatever its type: an {@link Exception} or an {@link Error},
   * or a {@link Throwable} that is neither (S2), which the compiler cannot see.
   */
  @SuppressWarnings("unchecked")
  static <X extends Throwable> X asThrown(Throwable failure) throws X {
    throw (X) failure;
  }
}
