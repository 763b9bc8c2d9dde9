package dev.asyncwith;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Structured concurrency as a resource: Python's {@code asyncio.TaskGroup}, on every JDK from 17,
 * without preview APIs and without blocking.
 *
 * <pre>{@code
 * # Python                                         // Java
 * async with asyncio.TaskGroup() as tg:            new AsyncTaskGroup().use(tg -> {
 *     a = tg.create_task(fetch("a"))                 CompletableFuture<Page> a = tg.spawn(() -> fetch("a"));
 *     b = tg.create_task(fetch("b"))                 CompletableFuture<Page> b = tg.spawn(() -> fetch("b"));
 *                                                    return CompletableFuture.completedFuture(null);
 *                                                  });
 * }</pre>
 *
 * <p>Children are started inside the block with {@link #spawn(Supplier)} (a non-blocking task
 * that returns a stage) or {@link #spawnBlocking(Callable)} (a blocking task on a thread of its
 * own). The group's exit waits for every child, so the statement's result completes only after
 * all of them have ended. The first child failure cancels the other children and the block; no
 * failure is ever lost: the statement fails with the first, the others attached to it by
 * {@link Throwable#addSuppressed} (Java has no {@code ExceptionGroup}). The rules, G1 to G6 in
 * {@code docs/RULES.md}:
 * <ul>
 *   <li>G1. {@link #enter()} completes with the group itself. {@code spawn} calls the task at once,
 *       on the calling thread, and returns a future that completes as the child does; a task that
 *       throws, or returns {@code null}, is a child that failed. Cancelling the returned future
 *       cancels the child; a child that ends cancelled is not a failure of the group.
 *   <li>G2. {@code spawn} before {@code enter}, or once the group has finished, returns a future
 *       failed with {@link IllegalStateException} and does not call the task. While the group
 *       waits in {@code exit}, children may spawn more children.
 *   <li>G3. The first child failure (other than a cancellation) cancels every other running child
 *       and, when the block runs through this group's own {@link #use(Function) use}, the block's
 *       stage too (Python cancels the task running the {@code async with}). Children spawned after
 *       that are cancelled as soon as they start.
 *   <li>G4. A failed block cancels every running child; then {@code exit} waits for every child,
 *       those spawned meanwhile included.
 *   <li>G5. The outcome: the children's failures (cancellations excepted) in the order they
 *       happened, then the block's, unless it is a cancellation the group itself caused. None:
 *       {@code exit} completes {@code false} and the block's outcome stands. Some: {@code exit}
 *       fails with the first, every other attached to it. A group never suppresses a failure.
 *   <li>G6. A group is used once: a second {@code enter} fails with {@link IllegalStateException}.
 *       It is safe to use from several threads at once; children may complete anywhere.
 * </ul>
 *
 * <p>A child that is itself a statement ({@code tg.spawn(() -> pool.lease().use(...))}) counts as
 * ended only once its teardown has finished, even when it was cancelled, whose result completes at
 * once: the group never finishes while a child's resource is still being released. As for nested
 * statements, this works when the task returns the statement's future itself, not a stage derived
 * from it. A teardown failure that follows such a cancel reaches the group's outcome, attached
 * once like any child failure (rule 6: a nested statement hands the outcome its cancelled result
 * could not take to the statement that waits for it), and is not reported as uncaught.
 *
 * <p>Cancelling the future that the group's own {@code use} returned (or completing it in any
 * other way) while the group runs cancels the block, as for any statement, and every child too, as
 * cancelling the task that runs Python's {@code async with} does; teardown still waits for every
 * child.
 *
 * <p><b>A deadline for the children.</b> A timeout on the group's own {@code use(timeout, body)}
 * bounds the block, as for any statement: a block that spawns its children and returns a completed
 * stage at once is never timed out, and the group's exit then waits for the children without a
 * bound. To bound the children too, put the deadline outside the group, as Python's {@code async
 * with asyncio.timeout(...): async with TaskGroup() as tg:} does: an outer statement with the
 * timeout whose body returns the group's {@code use} future.
 * <pre>{@code
 * CompletableFuture<Page> page = AsyncContexts.nullContext().use(Duration.ofSeconds(5), ignored ->
 *     new AsyncTaskGroup().use(tg -> {
 *       tg.spawn(() -> fetch("a"));
 *       tg.spawn(() -> fetch("b"));
 *       return CompletableFuture.completedFuture(null);
 *     }));
 * }</pre>
 * At the deadline the outer statement cancels the group's statement, which cancels every child;
 * the outer one waits for the group's end, so {@code page} fails with the {@link
 * java.util.concurrent.TimeoutException} only after every child has ended.
 *
 * <p>The group is an ordinary {@link AsyncResource}: it also works in {@link AsyncWith}, an
 * {@link AsyncExitStack} or any other statement, where G3 cancels the children but cannot reach
 * the block, which those statements run.
 */
public final class AsyncTaskGroup implements AsyncResource<AsyncTaskGroup> {

  /*
   * The state machine (G1–G6).
   *
   * The phase and the number of open slots share one word, `state`, changed by compare-and-set:
   *
   *     NEW ──enter──▶ OPEN ──exit──▶ EXITING ──the last slot is released──▶ FINISHED
   *
   *   NEW       enter → OPEN. spawn, exit: refused with IllegalStateException; no task is called.
   *   OPEN      spawn takes a slot before it calls the task and releases it once the child has
   *             ended (its failure recorded, its future completed). exit → EXITING, taking a slot
   *             of its own while it records the block's outcome. enter: refused.
   *             The body of the group's own use holds a slot while it runs; a spawn on its thread
   *             then takes a slot only for a child that has not ended at once.
   *   EXITING   spawn as in OPEN: children may spawn children while the group waits. Whoever
   *             releases the last slot moves to FINISHED and settles the outcome: exit itself
   *             (its stage is then already complete), or the last child (it completes `exited`).
   *             enter, exit: refused.
   *   FINISHED  terminal. Everything is refused.
   *
   * Orthogonal to the phase, and guarded by `lock`: the running children (a linked list), the
   * failures in the order they happened, the block's stage, and `aborting`, which goes from false
   * to true once and never back: at the first child failure (G3), a failed block given to exit
   * (G4), or the caller completing the group's own statement early (Block.resultCompleted). From
   * then on every running child and every child spawned later is cancelled, and so is the block's
   * stage, except in the last case, where the statement itself cancels it.
   * Cancels and the completion of futures run outside the lock: they run other people's code.
   *
   * Why no failure is missed and no child outlives the group: a child records its failure before
   * it releases its slot, and exit records the block's before releasing its own; so when the count
   * reaches zero in EXITING every failure is recorded, and from then on no slot can be taken.
   */

  private static final int NEW = 0;
  private static final int OPEN = 1;
  private static final int EXITING = 2;
  private static final int FINISHED = 3;
  private static final long PHASE = 3;
  /** One open slot: a child, or a spawn or exit under way. */
  private static final long SLOT = 4;

  /** The thread name of blocking children, after the runtime's prefix. */
  private static final String THREAD_NAME = "AsyncTaskGroup.spawnBlocking";

  /** The resource whose statement waits for the end of a statement child (its teardown). */
  private static final AsyncResource<Object> NOTHING = AsyncContexts.nullContext();

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(AsyncTaskGroup.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The phase (low bits) and the number of open slots (times {@link #SLOT}). */
  private volatile long state;

  private final Object lock = new Object();
  /** The children still running, most recent first. Guarded by {@link #lock}. */
  private Child<?> running;
  /** Whether children and the block are being cancelled (G3, G4). Guarded by {@link #lock}. */
  private boolean aborting;
  /**
   * The children's failures, in the order they happened; {@code null} if none. Guarded, until
   * the group has finished; then read by whoever finished it.
   */
  private List<Throwable> failures;
  /**
   * The block's failure as exit received it, unless the group caused it. Guarded, as {@link
   * #failures} is.
   */
  private Throwable blockFailure;
  /** The stage the block returned through {@link #use}, until exit. Guarded. */
  private CompletionStage<?> block;
  /** Whether the group cancelled the block's stage. Guarded. */
  private boolean cancelledBlock;
  /** Whether exit has been called, so the block has ended. Guarded. */
  private boolean blockEnded;
  /**
   * Exit's stage when children were still running as exit released its slot; completed by the
   * last child. Written before that release, which publishes it to whoever finishes.
   */
  private CompletableFuture<Boolean> exited;
  /**
   * The thread running the body of the group's own {@link #use} while it holds a slot for the
   * body, else {@code null}: a spawn on that thread needs no slot of its own for a child that ends
   * at once. Only that thread can find itself here (a stale value names another thread).
   */
  private Thread blockThread;

  /** Creates a group, to be entered once. */
  public AsyncTaskGroup() {}

  /**
   * Opens the group (G1).
   *
   * @return a stage completed with this group, or failed with {@link IllegalStateException} if
   *     the group was already entered (G6)
   */
  @Override
  public CompletionStage<AsyncTaskGroup> enter() {
    if (STATE.compareAndSet(this, (long) NEW, (long) OPEN)) {
      return CompletableFuture.completedFuture(this);
    }
    return CompletableFuture.failedFuture(
        new IllegalStateException("the task group was already entered; a group is used once"));
  }

  /**
   * Starts a non-blocking child: Python's {@code create_task}. The task is called at once, on the
   * calling thread (G1).
   *
   * <p>The returned future completes as the child's stage does (for a statement, once its
   * teardown has finished). Cancelling it, or completing it in any other way first ({@code
   * complete}, {@code completeExceptionally}, {@code orTimeout}), cancels the child through {@code
   * toCompletableFuture().cancel(true)} on its stage; the group still waits for the stage to
   * complete. A child that ends cancelled is not a failure of the group. A stage that is a future
   * already completed normally is returned as it is: the child has ended. Once the group is
   * cancelling its children (G3, G4), the task is still called, and its stage cancelled at once
   * (Python refuses {@code create_task} then; a child spawning children need not expect it).
   *
   * @param task returns the child's stage; a throw, or a {@code null} stage (a {@link
   *     NullPointerException} naming the task), is a child that failed
   * @param <T> the type of the child's value
   * @return a future of the child's outcome; failed with {@link IllegalStateException}, the task
   *     not called, before {@link #enter()} or once the group has finished (G2)
   * @throws NullPointerException if {@code task} is {@code null}
   */
  public <T> CompletableFuture<T> spawn(Supplier<? extends CompletionStage<T>> task) {
    Objects.requireNonNull(task, "task");
    // On the thread running the body of the group's own use, the body's slot covers the task.
    boolean coveredByBlock = blockThread == Thread.currentThread();
    if (!coveredByBlock) {
      IllegalStateException refused = takeSlot("spawn");
      if (refused != null) {
        return CompletableFuture.failedFuture(refused);
      }
    }
    CompletionStage<T> stage;
    try {
      stage = task.get();
      if (stage == null) {
        throw Failures.returnedNull("the task " + task);
      }
    } catch (Throwable thrown) {
      if (coveredByBlock) {
        addSlot();
      }
      childEnded(null, null, thrown); // a child with no future of its own
      return CompletableFuture.failedFuture(thrown);
    }
    CompletionStage<T> watched = stage instanceof Statement ? endOf(stage) : stage;
    if (Stages.now(watched) != Stages.PENDING) {
      // Ended already, normally: nothing to record. A readable future is returned as it is.
      if (!coveredByBlock) {
        releaseSlot();
      }
      return stage.toCompletableFuture();
    }
    if (coveredByBlock) {
      addSlot();
    }
    StageChild<T> child = new StageChild<>(stage);
    if (link(child)) {
      child.cancelChild();
    }
    try {
      watched.whenComplete((value, failure) -> childEnded(child, value, failure));
    } catch (Throwable thrown) {
      // A stage that cannot be waited for counts as a child that failed with what it threw.
      childEnded(child, null, thrown);
    }
    return child;
  }

  /**
   * Starts a blocking child: {@code task} runs on a thread of its own, a virtual thread on JDK 21
   * and later, a daemon platform thread before (Python's {@code create_task(asyncio.to_thread(f))},
   * or a fork in Java's {@code StructuredTaskScope}). The same rules hold as for {@link
   * #spawn(Supplier)}.
   *
   * <p>Cancelling the child (the returned future, or the group's abort) interrupts its thread; a
   * child cancelled before its thread has started never calls the task. The group waits for the
   * thread's task to return or throw, whatever the cancel: a child that then throws {@link
   * InterruptedException} ends cancelled (not a failure of the group); any other failure stands.
   * The thread is named {@code asyncwith-AsyncTaskGroup.spawnBlocking} and ends with its task.
   *
   * @param task the blocking work; its value or failure is the child's
   * @param <T> the type of the child's value
   * @return a future of the child's outcome; failed with {@link IllegalStateException}, no thread
   *     started, before {@link #enter()} or once the group has finished (G2)
   * @throws NullPointerException if {@code task} is {@code null}
   */
  public <T> CompletableFuture<T> spawnBlocking(Callable<? extends T> task) {
    Objects.requireNonNull(task, "task");
    IllegalStateException refused = takeSlot("spawnBlocking");
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    ThreadChild<T> child = new ThreadChild<>(task);
    if (link(child)) {
      child.cancelChild(); // before its thread starts: the task will not be called
    }
    try {
      GeneratorThreads.start(THREAD_NAME, () -> child.run(this));
    } catch (Throwable thrown) {
      childEnded(child, null, thrown);
    }
    return child;
  }

  /**
   * Closes the group: cancels the running children if the block failed (G4), waits for every
   * child, those spawned meanwhile included, and settles the outcome (G5).
   *
   * @param failure the block's failure, or {@code null}
   * @return a stage that completes {@code false} when no child failed and the block did not fail
   *     (or failed with a cancellation the group caused), and otherwise fails with the first
   *     failure, every later one attached; failed with {@link IllegalStateException} before
   *     {@link #enter()} or on a second exit
   */
  @Override
  public CompletionStage<Boolean> exit(Throwable failure) {
    for (long current = state; ; current = state) {
      int phase = (int) (current & PHASE);
      if (phase != OPEN) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                phase == NEW
                    ? "exit before the task group was entered"
                    : "exit called twice on the task group"));
      }
      if (STATE.compareAndSet(this, current, (current & ~PHASE) + EXITING + SLOT)) {
        break;
      }
    }
    Throwable cause = failure == null ? null : Failures.unwrap(failure);
    Object[] toCancel = null;
    synchronized (lock) {
      blockEnded = true;
      block = null;
      boolean causedHere = cause instanceof CancellationException && cancelledBlock;
      if (causedHere && failures != null && cause.getCause() == null) {
        // Say why the block was cancelled: the first child failure, which is the outcome (G5).
        // The statement then sees that this cancellation already reaches the outcome and does
        // not attach it (rule 5), as Python drops the cancellation its task group caused.
        try {
          cause.initCause(failures.get(0));
        } catch (IllegalStateException causeAlreadySet) {
          // Then the statement attaches it instead: nothing is lost either way.
        }
      }
      if (cause != null && !causedHere) {
        blockFailure = cause;
        toCancel = startAborting(true);
      }
    }
    cancel(toCancel);
    // Release exit's own slot: the outcome is settled here if it was the last one, or by the last
    // child otherwise.
    for (long current = state; ; current = state) {
      if (current == EXITING + SLOT) {
        if (STATE.compareAndSet(this, current, (long) FINISHED)) {
          Throwable outcome = outcome();
          return outcome == null ? Stages.FALSE : CompletableFuture.failedFuture(outcome);
        }
      } else {
        CompletableFuture<Boolean> stage = exited;
        if (stage == null) {
          stage = new CompletableFuture<>();
          exited = stage;
        }
        if (STATE.compareAndSet(this, current, current - SLOT)) {
          return stage;
        }
      }
    }
  }

  /**
   * Runs {@code body} inside this group, as {@link AsyncResource#use(Function)} does; here the
   * first child failure also cancels the stage the body returned (G3).
   *
   * @param body the block; it spawns the children and returns the stage whose completion ends it
   * @param <R> the type of the block's value
   * @return a future of the block's value, completed once every child has ended
   * @throws NullPointerException if {@code body} is {@code null}
   */
  @Override
  public <R> CompletableFuture<R> use(
      Function<? super AsyncTaskGroup, ? extends CompletionStage<R>> body) {
    Block<R> block = new Block<>(Objects.requireNonNull(body, "body"));
    return block.watch(AsyncResource.super.use(block));
  }

  /**
   * Runs {@code body} inside this group with the block bounded by {@code timeout}, as {@link
   * AsyncResource#use(Duration, Function)} does; here the first child failure also cancels the
   * stage the body returned (G3).
   *
   * @param timeout how long the block may run, measured from when it starts
   * @param body the block
   * @param <R> the type of the block's value
   * @return a future of the block's value, completed once every child has ended
   * @throws NullPointerException if {@code timeout} or {@code body} is {@code null}
   */
  @Override
  public <R> CompletableFuture<R> use(
      Duration timeout, Function<? super AsyncTaskGroup, ? extends CompletionStage<R>> body) {
    Objects.requireNonNull(timeout, "timeout");
    Block<R> block = new Block<>(Objects.requireNonNull(body, "body"));
    return block.watch(AsyncResource.super.use(timeout, block));
  }

  /** The phase, the open slots, and whether the group is cancelling, for debugging. */
  @Override
  public String toString() {
    long current = state;
    String[] phases = {"new", "open", "exiting", "finished"};
    boolean cancelling;
    synchronized (lock) {
      cancelling = aborting;
    }
    return "AsyncTaskGroup["
        + phases[(int) (current & PHASE)]
        + ", "
        + current / SLOT
        + " open"
        + (cancelling ? ", cancelling" : "")
        + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Slots.

  /** Takes a slot for a child about to start, or says why it cannot start (G2). */
  private IllegalStateException takeSlot(String method) {
    for (long current = state; ; current = state) {
      int phase = (int) (current & PHASE);
      if (phase == NEW) {
        return new IllegalStateException(
            method + " before the task group was entered; the task was not started");
      }
      if (phase == FINISHED) {
        return new IllegalStateException(
            method + " after the task group had finished; the task was not started");
      }
      if (STATE.compareAndSet(this, current, current + SLOT)) {
        return null;
      }
    }
  }

  /**
   * Takes a slot while another slot is held, so that the group cannot finish meanwhile: for a
   * child spawned under the body's slot that has not ended at once.
   */
  private void addSlot() {
    STATE.getAndAdd(this, SLOT);
  }

  /** Takes the body's slot, unless the group has finished (or not been entered). */
  private boolean takeBlockSlot() {
    for (long current = state; ; current = state) {
      int phase = (int) (current & PHASE);
      if (phase == NEW || phase == FINISHED) {
        return false;
      }
      if (STATE.compareAndSet(this, current, current + SLOT)) {
        return true;
      }
    }
  }

  /** Releases a slot; the one that releases the last while exiting settles exit's stage. */
  private void releaseSlot() {
    for (long current = state; ; current = state) {
      long next = current - SLOT;
      boolean last = next == EXITING;
      if (STATE.compareAndSet(this, current, last ? FINISHED : next)) {
        if (last) {
          Throwable outcome = outcome();
          if (outcome == null) {
            exited.complete(Boolean.FALSE);
          } else {
            exited.completeExceptionally(outcome);
          }
        }
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Children, failures and the abort.

  /**
   * A child has ended: records its failure, completes its future, cancels the others if it is the
   * first failure (so that its own future completes before theirs), then releases its slot.
   */
  private <T> void childEnded(Child<T> child, T value, Throwable failure) {
    Throwable cause = failure == null ? null : Failures.unwrap(failure);
    Object[] toCancel = null;
    synchronized (lock) {
      if (child != null) {
        unlink(child);
      }
      if (cause != null && !(cause instanceof CancellationException)) {
        if (failures == null) {
          failures = new ArrayList<>();
        }
        failures.add(cause);
        toCancel = startAborting(true);
      }
    }
    if (child != null) {
      child.settle(value, cause);
    }
    cancel(toCancel);
    releaseSlot();
  }

  /**
   * Under the lock: starts the abort if it has not started, and returns what to cancel (the
   * running children and, if asked, the block's stage), or {@code null}.
   */
  private Object[] startAborting(boolean includingBlock) {
    if (aborting) {
      return null;
    }
    aborting = true;
    List<Object> toCancel = new ArrayList<>();
    for (Child<?> child = running; child != null; child = child.next) {
      toCancel.add(child);
    }
    if (includingBlock && block != null) {
      toCancel.add(block);
      cancelledBlock = true;
      block = null;
    }
    return toCancel.toArray();
  }

  /** Cancels children and the block, outside the lock. */
  private static void cancel(Object[] toCancel) {
    if (toCancel == null) {
      return;
    }
    for (Object next : toCancel) {
      if (next instanceof Child) {
        ((Child<?>) next).cancelChild();
      } else {
        Stages.cancel((CompletionStage<?>) next);
      }
    }
  }

  /** Adds a running child; returns whether it must be cancelled at once (the group aborts). */
  private boolean link(Child<?> child) {
    synchronized (lock) {
      child.next = running;
      if (running != null) {
        running.previous = child;
      }
      running = child;
      return aborting;
    }
  }

  /** Under the lock: removes a child that has ended. */
  private void unlink(Child<?> child) {
    if (child.previous != null) {
      child.previous.next = child.next;
    } else if (running == child) {
      running = child.next;
    }
    if (child.next != null) {
      child.next.previous = child.previous;
    }
    child.previous = null;
    child.next = null;
  }

  /** The body returned {@code stage} through {@link #use}: cancel it now, or when the group aborts. */
  private void blockReturned(CompletionStage<?> stage) {
    if (Stages.now(stage) != Stages.PENDING || Stages.failureNow(stage) != null) {
      return; // ended already: nothing to cancel, and a cancellation it ended with is its own
    }
    boolean cancelNow;
    synchronized (lock) {
      cancelNow = aborting && !blockEnded;
      if (cancelNow) {
        cancelledBlock = true;
      } else if (!blockEnded) {
        block = stage;
      }
    }
    if (cancelNow) {
      Stages.cancel(stage);
    }
  }

  /**
   * The outcome once every slot is released (G5): the first failure with the others attached, or
   * {@code null}. Drops the group's references to the failures.
   */
  private Throwable outcome() {
    // No lock: every slot holder wrote its failure under the lock before releasing its slot,
    // and once the group has finished nobody writes them again.
    List<Throwable> all = failures;
    Throwable last = blockFailure;
    failures = null;
    blockFailure = null;
    Throwable first = all != null ? all.get(0) : last;
    if (first == null) {
      return null;
    }
    if (all != null) {
      FailureAttacher attacher = new FailureAttacher(); // linear in the failures, however many
      for (int i = 1; i < all.size(); i++) {
        attacher.attach(first, all.get(i));
      }
      attacher.attach(first, last);
    }
    return first;
  }

  /** A stage that completes when the statement {@code stage} has ended, teardown included. */
  private static <T> CompletionStage<T> endOf(CompletionStage<T> statement) {
    return Statement.run(NOTHING, ignored -> statement);
  }

  // ---------------------------------------------------------------------------------------------
  // The block and the children.

  /**
   * The user's body in the group's own statement: remembers the stage it returns, so that G3 can
   * cancel it, and watches the statement's result, so that a caller who cancels it (or completes it
   * in any other way) while the group still runs cancels the children too, as cancelling the task
   * that runs Python's {@code async with} does. The statement itself cancels the block then (rule
   * 6), and the group's exit still waits for every child.
   */
  private final class Block<R> implements Function<AsyncTaskGroup, CompletionStage<R>> {
    private final Function<? super AsyncTaskGroup, ? extends CompletionStage<R>> body;
    /**
     * Whether the body ran, so this statement is the one that entered the group. Written before
     * the body's slot is taken, and read after {@code state}: that compare-and-set publishes it.
     */
    private boolean entered;

    Block(Function<? super AsyncTaskGroup, ? extends CompletionStage<R>> body) {
      this.body = body;
    }

    /** Watches the statement's result; returns it, the very future, for nested statements. */
    CompletableFuture<R> watch(CompletableFuture<R> result) {
      if (!result.isDone()) {
        result.whenComplete((value, failure) -> resultCompleted());
      }
      return result;
    }

    /** The result completed: before the group finished, only its caller can have completed it. */
    private void resultCompleted() {
      if ((state & PHASE) != FINISHED && entered) {
        Object[] toCancel;
        synchronized (lock) {
          toCancel = startAborting(false);
        }
        cancel(toCancel);
      }
    }

    @Override
    public CompletionStage<R> apply(AsyncTaskGroup group) {
      entered = true;
      if (!takeBlockSlot()) {
        return runBody(group);
      }
      // The body's slot keeps the group from finishing while the body runs, so that its spawns
      // of children that end at once take no slot of their own.
      blockThread = Thread.currentThread();
      try {
        return runBody(group);
      } finally {
        blockThread = null;
        releaseSlot();
      }
    }

    private CompletionStage<R> runBody(AsyncTaskGroup group) {
      CompletionStage<R> stage = body.apply(group);
      if (stage != null) {
        blockReturned(stage);
      }
      return stage;
    }

    /** The user's body, so that the statement's messages name it. */
    @Override
    public String toString() {
      return body.toString();
    }
  }

  /**
   * A running child, and the future {@code spawn} returned for it. Completing it early in any way
   * ({@link CallerFuture}) cancels the child, which the group still waits for.
   */
  private abstract static class Child<T> extends CallerFuture<T> {
    /** Neighbours in the group's list of running children; guarded by the group's lock. */
    Child<?> previous;

    Child<?> next;

    /** Asks the child to stop: cancels its stage, or interrupts its thread. */
    abstract void cancelChild();

    @Override
    final void completedByCaller() {
      cancelChild();
    }
  }

  /** A child from {@link #spawn}: a stage. */
  private static final class StageChild<T> extends Child<T> {
    private final CompletionStage<T> stage;

    StageChild(CompletionStage<T> stage) {
      this.stage = stage;
    }

    @Override
    void cancelChild() {
      Stages.cancel(stage);
    }
  }

  /** A child from {@link #spawnBlocking}: a task on a thread of its own. */
  private static final class ThreadChild<T> extends Child<T> {
    private final Callable<? extends T> task;
    private final Object guard = new Object();
    /** The thread while it runs the task, else {@code null}. Guarded by {@link #guard}. */
    private Thread thread;
    /** Whether a cancel was asked for. Guarded by {@link #guard}. */
    private boolean cancelRequested;

    ThreadChild(Callable<? extends T> task) {
      this.task = task;
    }

    /** The child's thread: runs the task unless already cancelled, then reports the outcome. */
    void run(AsyncTaskGroup group) {
      boolean start;
      synchronized (guard) {
        start = !cancelRequested;
        if (start) {
          thread = Thread.currentThread();
        }
      }
      T value = null;
      Throwable failure = null;
      if (start) {
        try {
          value = task.call();
        } catch (Throwable thrown) {
          failure = thrown;
        }
      } else {
        failure = new CancellationException("cancelled before its thread started; not run");
      }
      boolean cancelled;
      synchronized (guard) {
        thread = null;
        cancelled = cancelRequested;
      }
      // A cancel that arrived as the task returned must not reach the code that runs next here.
      Thread.interrupted();
      if (cancelled && failure instanceof InterruptedException) {
        CancellationException cancellation = new CancellationException("cancelled; interrupted");
        cancellation.initCause(failure);
        failure = cancellation;
      }
      group.childEnded(this, value, failure);
    }

    @Override
    void cancelChild() {
      synchronized (guard) {
        cancelRequested = true;
        if (thread != null) {
          thread.interrupt();
        }
      }
    }
  }
}
