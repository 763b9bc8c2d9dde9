package dev.asyncwith;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@code async with} statement behind {@link AsyncResource#use} and {@link AsyncWith}: one
 * run of enter, body and exit, implementing rules 1 to 9 ("The statement") of {@code
 * docs/RULES.md}.
 *
 * <p>The statement is its own result future, and the {@link DirectResource.Outcome} the generator
 * engines report to, so that a run whose stages are already complete allocates nothing but this
 * object: each stage is read at once when it is a {@link CompletableFuture} that has completed
 * normally ({@link Stages#now}), and only otherwise attached to, through a small callback object
 * (not the statement itself, which would give the user's future a public {@code BiConsumer} that
 * anyone could call). There is one path through the steps ({@link #start}, {@link #accept}). A
 * statement that ends before {@link #run} returns has not been handed to anyone ({@link #starter}):
 * nothing waits for it and nobody can have completed it, so {@code run} returns a future made
 * complete with the outcome instead of completing the statement itself, which saves the atomic
 * operation of that completion. Every step runs on the thread that completed the stage before it
 * (rule 7).
 *
 * <p>Hooks for the generator engines: a resource implementing {@link DirectResource} reports
 * enter's and exit's outcomes straight to the statement (no stage, and the body runs inside the
 * report); {@link Stages#now} and {@link Stages#cancel} are how the runtime reads and cancels other
 * stages; {@link Failures} combines failures. The rules stay here.
 *
 * <p>How it stays correct without locks:
 * <ul>
 *   <li>The steps run one after another; each is started by the completion of the one before, so
 *       {@link #phase} and the outcome fields are plain fields published by those completions.
 *   <li>The caller completing the result early (cancel, complete, completeExceptionally, obtrude,
 *       orTimeout, completeOnTimeout, completeAsync) is noticed by {@link CallerFuture}, whose
 *       hook ({@link #completedByCaller}) cancels the body's stage, and at each step through
 *       {@link #isDone()}: only the statement's end completes the result otherwise. The body's
 *       stage is published in the volatile {@link #block} before {@code isDone()} is read, and the
 *       caller's completion is published before {@code block} is read, so at least one side
 *       cancels it.
 *   <li>A statement that the body of another returned (a nested statement) tells that outer one
 *       when it has ended, teardown included, through {@link #waiters}: an outer statement never
 *       starts its exit on the inner future's early (cancelled) completion.
 *   <li>Completing a result runs its dependents, which may end other statements, and so on: such
 *       chains go through a per-thread {@link Trampoline} so that the stack never grows with them.
 *       A cancel travels the other way, down the nested statements: it goes through {@link
 *       Stages#cancel}'s per-thread queue for the same reason, and only the call that cancelled a
 *       result passes the cancel on, so that it ends even on statements that wait for each other.
 *       A thread about to block runs what both queues hold first ({@link ThreadQueues}).
 *   <li>A nested statement whose result its caller (or an enclosing statement's cancel) completed
 *       early hands the outcome its result could not take to the statement that waits for it,
 *       as that one's block outcome: a nested teardown's failure is never "unseen" while an
 *       enclosing statement can still receive it (rule 6).
 *   <li>A body that returns the statement's own result future fails the block with an {@link
 *       IllegalStateException}: the statement would wait for itself.
 * </ul>
 *
 * @param <T> the type of the resource's value
 * @param <R> the type of the block's value
 */
class Statement<T, R> extends CallerFuture<R> implements DirectResource.Outcome {

  /*
   * The statement's machine: phase, low bits the step whose outcome it waits for, high bits flags.
   * Only the step under way writes it (steps follow one another, each started by the completion
   * of the one before), so it is a plain field.
   *
   *   ENTERING ──enter's value, result not completed──────────▶ IN_BLOCK (the body runs)
   *   ENTERING ──enter's value, the caller completed the result▶ EXITING (exit gets a new
   *              CancellationException: rule 6, the body never runs)
   *   ENTERING ──enter's failure (thrown, null, failed stage)─▶ ENDED (rule 1: nothing to exit)
   *   IN_BLOCK ──the body threw, returned null or the result,
   *              or its stage completed──────────────────────▶ EXITING (rules 2, 3; when the
   *              caller completed the result meanwhile, exit gets a CancellationException and
   *              MADE_CANCELLATION keeps the block's own failure in value)
   *   EXITING  ──exit's outcome──────────────────────────────▶ ENDED (rules 4, 5: Failures.afterExit)
   *   ENDED    final. COMPLETED_HERE when the end completed the result; otherwise the caller
   *            had, and an outcome it could not take goes to a waiting statement or the handler.
   *
   * Beside it, waiters (volatile, compare-and-set): null ──an outer statement awaits──▶ that
   * statement, or a Waiters list ──the end──▶ END (final; an outer statement arriving later reads
   * the outcome at once).
   */
  private static final int ENTERING = 0;
  private static final int IN_BLOCK = 1;
  private static final int EXITING = 2;
  private static final int ENDED = 3;
  private static final int STEP = 3;
  /** Flag: exit was given a CancellationException made here; {@link #value} holds the block's failure. */
  private static final int MADE_CANCELLATION = 4;
  /** Flag: the statement's end completed the result (the caller had not). */
  private static final int COMPLETED_HERE = 8;
  /** Flag: the statement ended while it was starting, before anyone held it. */
  private static final int ENDED_STARTING = 16;

  /**
   * Each thread's {@link Trampoline}. Held here rather than in the nested class, so that it is made
   * when this class is initialized, not on a thread's first nested end: a class whose static
   * initializer fails (at the bottom of an overflowing stack) stays unusable for the JVM's
   * lifetime.
   */
  private static final ThreadLocal<Trampoline> TRAMPOLINES =
      ThreadLocal.withInitial(Trampoline::new);

  /** {@link #waiters} once the statement has ended. */
  private static final Object END = new Object();

  private static final VarHandle WAITERS;

  static {
    try {
      WAITERS = MethodHandles.lookup().findVarHandle(Statement.class, "waiters", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AsyncResource<T> resource;
  /** The step under way, and flags. */
  private int phase;
  /** The stage the body returned, for the caller's cancel; {@code null} before. */
  private volatile CompletionStage<?> block;
  /** The block; cleared once called. */
  private Function<? super T, ? extends CompletionStage<R>> body;
  /**
   * The block's value, then the outcome's; the block's failure instead when exit was given a
   * cancellation made here. (Not shared with {@link #body}: reading the body back from an {@code
   * Object} field costs a cast to an interface on every cycle, measured at about 2.5 ns.)
   */
  private Object value;
  /** The failure exit was given, then the outcome's failure. */
  private Throwable failure;
  /** Who waits for the end: {@code null}, an outer statement, a {@link Waiters} list, or {@link #END}. */
  private volatile Object waiters;
  /**
   * The thread running {@link #start()} from {@link #run}, while it does; {@code null} after.
   * Only that thread can read itself here (a stale value names another thread), so a statement
   * that ends while this names the current thread has not been handed to anyone yet: nobody waits
   * for it and nothing depends on it, and its end needs no atomic handshake.
   */
  private Thread starter;
  /**
   * The thread attaching the statement to the body's stage, while it does; {@code null} after. An
   * outcome delivered on this thread during the attaching comes from a stage that had already
   * completed when the body returned (read as {@link #starter} is: only that thread can find
   * itself here).
   */
  private Thread attachingBlock;

  Statement(AsyncResource<T> resource, Function<? super T, ? extends CompletionStage<R>> body) {
    this.resource = resource;
    this.body = body;
  }

  /**
   * Runs {@code async with resource as value: body(value)}.
   *
   * @throws NullPointerException if an argument is {@code null} (the only synchronous failure)
   */
  static <T, R> CompletableFuture<R> run(
      AsyncResource<T> resource, Function<? super T, ? extends CompletionStage<R>> body) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(body, "body");
    // startFromRun's steps written out: one call level less on the hot path, which lets the JIT
    // inline the whole synchronous cycle (and scalar-replace what the user's method allocates).
    Statement<T, R> statement = new Statement<>(resource, body);
    statement.starter = Thread.currentThread();
    try {
      statement.start();
    } finally {
      statement.starter = null; // also after an error the steps let through (see proceed)
    }
    return (statement.phase & ENDED_STARTING) != 0 ? statement.outcome() : statement;
  }

  /**
   * Starts the statement from the thread that made it, which nobody else holds yet, and returns
   * its result: the statement itself, or, if it ended meanwhile, a future made complete with its
   * outcome ({@link #outcome}).
   */
  final CompletableFuture<R> startFromRun() {
    starter = Thread.currentThread();
    try {
      start();
    } finally {
      starter = null;
    }
    return (phase & ENDED_STARTING) != 0 ? outcome() : this;
  }

  /**
   * A future made complete with the outcome of a statement that ended while starting: nobody has
   * held the statement, nor can, so this serves the caller as well, without the atomic completion
   * of the statement's own.
   */
  private CompletableFuture<R> outcome() {
    return failure == null
        ? CompletableFuture.completedFuture(result())
        : CompletableFuture.failedFuture(failure);
  }

  @SuppressWarnings("unchecked") // the outcome's value is the block's, an R
  private R result() {
    return (R) value;
  }

  /** The {@link NullPointerException} for a body that returned {@code null} (rule 2). */
  static NullPointerException bodyReturnedNull(Object body) {
    return Failures.returnedNull("the body " + body);
  }

  // ---------------------------------------------------------------------------------------------
  // Hooks for TimedStatement.

  /** Called just before the body runs. */
  void blockStarting() {}

  /** Whether the body's stage must be cancelled now that it is known. */
  boolean blockMustStop() {
    return isDone();
  }

  /** Called once the statement is attached to the body's pending stage. */
  void blockAwaited() {}

  /**
   * The failure {@code exit} is given for a block that ended with {@code blockFailure} (unwrapped,
   * or {@code null}): the block's own, unless the caller completed the result meanwhile (rule 6).
   * {@code atOnce} tells that the body threw or returned an already-completed stage: the block
   * never waited for anything.
   */
  Throwable failureForExit(Throwable blockFailure, boolean atOnce) {
    if (isDone() && !(blockFailure instanceof CancellationException)) {
      CancellationException cancellation =
          new CancellationException("the caller completed the result while the block ran");
      if (blockFailure != null) {
        cancellation.addSuppressed(blockFailure);
      }
      phase |= MADE_CANCELLATION;
      value = blockFailure;
      return cancellation;
    }
    return blockFailure;
  }

  /** The stage the body returned, or {@code null} while it has not returned. */
  final CompletionStage<?> block() {
    return block;
  }

  // ---------------------------------------------------------------------------------------------
  // The steps.

  /*
   * Each step returns the stage the statement waits for next (enter's or exit's), or null when
   * there is none to read here: the statement ended, attached to a pending stage, or handed the
   * step to a DirectResource, which reports through accept. proceed then reads that stage: as long
   * as it has completed already, the next step runs in proceed's loop, one step after another
   * rather than one inside another, so a synchronous cycle stays a few frames deep (and a body
   * that nests statements synchronously recurses only as deep as its own calls).
   */

  final void start() {
    if (resource instanceof DirectResource) {
      try {
        ((DirectResource<T>) resource).enterTo(this);
      } catch (Throwable thrown) {
        directStepThrew(ENTERING, thrown);
      }
      return;
    }
    CompletionStage<T> entering;
    try {
      entering = resource.enter();
    } catch (Throwable thrown) {
      entering = Protocol.threw(thrown);
    }
    proceed(entering != null ? entering : Protocol.enterReturnedNull(resource));
  }

  /**
   * The outcome of the stage the statement waits for, reported by a stage it attached to or by a
   * generator engine ({@link DirectResource.Outcome}): the steps from there, with anything they
   * throw sent to the uncaught-exception handler, as nobody else could receive it there. Reached
   * only through the package-private {@link DirectResource.Outcome} and {@link #callback()}.
   */
  @Override
  public final void accept(Object result, Throwable thrown) {
    try {
      proceed(step(result, thrown));
    } catch (Throwable bug) {
      Failures.reportUncaught(bug);
    }
  }

  /**
   * Waits for {@code stage} (or for nothing, when {@code null}): runs the next steps here while
   * the stages they return have completed, and attaches to the first one that has not. Errors in
   * the steps are not caught here, so that one raised while the statement runs synchronously (a
   * {@code StackOverflowError} deep in nested statements, say) reaches the caller of {@code use},
   * the enclosing body, as a throw does in plain nested code, and the enclosing statements still
   * exit.
   */
  private void proceed(CompletionStage<?> stage) {
    CompletionStage<?> next = stage;
    while (next != null) {
      if (next instanceof Statement) {
        awaitEnd((Statement<?, ?>) next);
        return;
      }
      Object now = Stages.now(next);
      if (now != Stages.PENDING) {
        next = step(now, null);
        continue;
      }
      // A stage that has already failed is read at once too (an enter or exit that threw, through
      // Protocol), so that an error in the steps that follow is not caught by accept.
      Throwable failed = Stages.failureNow(next);
      if (failed != null) {
        next = step(null, failed);
        continue;
      }
      attach(next);
      return;
    }
  }

  /**
   * The step that takes the outcome of the stage the statement waits for: enter's, the block's or
   * exit's, as {@link #phase} says.
   *
   * @return the stage to wait for next, or {@code null}
   */
  private CompletionStage<?> step(Object result, Throwable thrown) {
    switch (phase & STEP) {
      case ENTERING:
        return entered(result, thrown);
      case IN_BLOCK:
        return blockEnded(result, thrown, attachingBlock == Thread.currentThread());
      case EXITING:
        exited(result, thrown);
        return null;
      default:
        // A stage that called back twice: the statement has already moved on.
        return null;
    }
  }

  private CompletionStage<?> entered(Object entered, Throwable enterFailure) {
    if (enterFailure != null) {
      // Rule 1: nothing was acquired, so there is nothing to exit.
      end(null, Failures.unwrap(enterFailure));
      return null;
    }
    if (isDone()) {
      // Rule 6: cancelled while entering. Release what enter acquired; the body never runs.
      failure = new CancellationException("cancelled while entering; the body did not run");
      return startExit();
    }
    phase = IN_BLOCK;
    Function<? super T, ? extends CompletionStage<R>> body = this.body;
    this.body = null;
    blockStarting();
    CompletionStage<R> stage;
    try {
      @SuppressWarnings("unchecked") // enter's stage was a CompletionStage<T>
      T bound = (T) entered;
      stage = body.apply(bound);
    } catch (Throwable thrown) {
      return blockEnded(null, thrown, true);
    }
    return blockReturned(stage, body);
  }

  /** The body returned {@code stage}: the block ends at once, or when the stage completes. */
  private CompletionStage<?> blockReturned(CompletionStage<R> stage, Object body) {
    if (stage == null) {
      return blockEnded(null, bodyReturnedNull(body), true);
    }
    if (stage == this) {
      // It would wait for its own end, and a cancel would travel round in a circle.
      return blockEnded(null, awaitsItself(body), true);
    }
    if (!(stage instanceof Statement)) {
      Object now = Stages.now(stage);
      if (now != Stages.PENDING) {
        return blockEnded(now, null, true);
      }
      // A stage that has already failed ends the block at once too: the body never waited.
      Throwable failed = Stages.failureNow(stage);
      if (failed != null) {
        return blockEnded(null, failed, true);
      }
    }
    // Attached before the stage is published for a cancel (the caller's, the deadline's), so that
    // an outcome delivered on this thread while attaching is that of a stage that had completed
    // when the body returned (a minimal stage, a nested statement that had ended): nobody could
    // have cancelled it yet. Such an outcome runs the next steps inside the attaching.
    attachingBlock = Thread.currentThread();
    if (stage instanceof Statement) {
      awaitEnd((Statement<?, ?>) stage);
    } else {
      attach(stage);
    }
    attachingBlock = null;
    block = stage;
    if (blockMustStop()) {
      Stages.cancel(stage);
    }
    blockAwaited();
    return null;
  }

  /** The failure of a body that returned the statement's own result future. */
  private static IllegalStateException awaitsItself(Object body) {
    return new IllegalStateException(
        "the body " + body + " returned the statement's own result future: a statement cannot "
            + "wait for itself (Python: \"Task cannot await on itself\")");
  }

  private CompletionStage<?> blockEnded(Object result, Throwable blockFailure, boolean atOnce) {
    value = result;
    failure = failureForExit(blockFailure == null ? null : Failures.unwrap(blockFailure), atOnce);
    return startExit();
  }

  private CompletionStage<?> startExit() {
    phase = (phase & ~STEP) | EXITING;
    if (resource instanceof DirectResource) {
      try {
        ((DirectResource<T>) resource).exitTo(failure, this);
      } catch (Throwable thrown) {
        directStepThrew(EXITING, thrown);
      }
      return null;
    }
    CompletionStage<Boolean> exiting;
    try {
      exiting = resource.exit(failure);
    } catch (Throwable thrown) {
      return Protocol.threw(thrown);
    }
    return exiting != null ? exiting : Protocol.exitReturnedNull(resource);
  }

  private void exited(Object suppress, Throwable exitFailure) {
    Throwable blockFailure = failure;
    Throwable stands =
        Failures.afterExit(
            blockFailure, suppress, exitFailure == null ? null : Failures.unwrap(exitFailure));
    end(blockFailure == null ? value : null, stands);
  }

  /** Attaches to a pending {@code stage}, whose outcome continues the steps through accept. */
  private void attach(CompletionStage<?> stage) {
    try {
      stage.whenComplete(callback());
    } catch (Throwable thrown) {
      // A stage that cannot be attached to counts as failed with what it threw.
      accept(null, thrown);
    }
  }

  /**
   * A callback through which a pending stage reports to {@link #accept}. Not the statement itself:
   * it is the user's future, and a public {@code BiConsumer} there would let anyone drive it. Made
   * per pending stage rather than kept in a field, so that a statement whose stages are complete
   * (the common case) does not grow by a field it never uses; attaching to a pending stage
   * allocates anyway.
   */
  private BiConsumer<Object, Throwable> callback() {
    return this::accept;
  }

  private void directStepThrew(int step, Throwable thrown) {
    if ((phase & STEP) == step) {
      accept(null, thrown);
    } else {
      Failures.reportUncaught(thrown);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The end, and nested statements.

  /** The statement has ended with this outcome: complete the result and tell who waits. */
  private void end(Object result, Throwable outcome) {
    phase = (phase & ~STEP) | ENDED;
    if (outcome == null) {
      value = result;
    }
    failure = outcome;
    if (starter == Thread.currentThread()) {
      // Not handed to anyone yet: whoever started it hands back a completed future instead.
      phase |= ENDED_STARTING;
    } else if (waiters == null && getNumberOfDependents() == 0) {
      // Completing runs nothing else; no chain can grow from here.
      completeAndNotify();
    } else {
      Trampoline.finish(this);
    }
  }

  /**
   * Completes the result with the outcome, then lets the statements that wait for it go on. An
   * outcome that the result could not take (the caller had completed it) goes to the first
   * statement that waits, as its block's failure (rule 6: a cancel that an enclosing statement
   * sent down does not make the nested teardown's failure unseen); only when none waits does it
   * go to the uncaught-exception handler.
   */
  final void completeAndNotify() {
    Throwable lost = completeResult();
    Object waiting = WAITERS.getAndSet(this, END);
    if (waiting == null && lost != null) {
      Failures.reportUncaught(lost);
    }
    boolean handOver = lost != null;
    for (Object next = waiting; next != null; ) {
      if (next instanceof Waiters) {
        Waiters list = (Waiters) next;
        list.first.innerEnded(this, handOver);
        next = list.rest;
      } else {
        ((Statement<?, ?>) next).innerEnded(this, handOver);
        next = null;
      }
      handOver = false;
    }
  }

  /**
   * Completes the result with the outcome; returns the failure that is lost if the caller had
   * completed it first ({@link #lostOutcome}), for the caller to hand on, else {@code null}.
   */
  private Throwable completeResult() {
    Throwable outcome = failure;
    @SuppressWarnings("unchecked") // the outcome's value is the block's, an R
    R result = outcome == null ? (R) value : null;
    if (settle(result, outcome)) {
      phase |= COMPLETED_HERE;
      return null;
    }
    return lostOutcome(outcome);
  }

  /**
   * Rule 6: the caller completed the result before the statement ended, so {@code outcome} cannot
   * reach the caller; unless it is a cancellation, it is lost unless an enclosing statement takes
   * it. When it is the cancellation made here for exit, the block's own failure it carries is what
   * is lost.
   */
  private Throwable lostOutcome(Throwable outcome) {
    Throwable lost = outcome;
    if (lost instanceof CancellationException) {
      lost = (phase & MADE_CANCELLATION) != 0 ? (Throwable) value : null;
    }
    return lost instanceof CancellationException ? null : lost;
  }

  /** Waits for the end of a nested statement, teardown included, not for its result alone. */
  private void awaitEnd(Statement<?, ?> inner) {
    for (; ; ) {
      Object waiting = inner.waiters;
      if (waiting == END) {
        innerEndedHere(inner);
        return;
      }
      Object updated = waiting == null ? this : new Waiters(this, waiting);
      if (WAITERS.compareAndSet(inner, waiting, updated)) {
        return;
      }
    }
  }

  /**
   * The nested statement this one was about to wait for has ended already: its outcome is the
   * block's, taken here, in this statement's own flow (so, as in {@link #proceed}, an error in the
   * steps that follow reaches this flow's caller instead of the uncaught-exception handler).
   */
  private void innerEndedHere(Statement<?, ?> inner) {
    takeInnerOutcome(inner, false, true);
  }

  /**
   * A nested statement this one waits for has ended: its result is the block's outcome, or, when
   * {@code takesOutcome}, the outcome its result could not take (its caller had completed it).
   */
  private void innerEnded(Statement<?, ?> inner, boolean takesOutcome) {
    takeInnerOutcome(inner, takesOutcome, false);
  }

  /**
   * Reads an ended nested statement's outcome (see {@link #innerEnded}) and continues with it:
   * {@code here}, in this statement's own flow ({@link #step}, errors not caught), or else as a
   * report ({@link #accept}).
   */
  private void takeInnerOutcome(Statement<?, ?> inner, boolean takesOutcome, boolean here) {
    Object value;
    Throwable failure;
    if ((inner.phase & COMPLETED_HERE) != 0 || takesOutcome) {
      // Its own outcome, read without the CompletionException join() would make.
      value = inner.failure == null ? inner.value : null;
      failure = inner.failure;
    } else if (!inner.isCompletedExceptionally()) {
      value = inner.join();
      failure = null;
    } else {
      // Completed by its caller: the failure it holds, by identity (not join's wrapping).
      value = null;
      failure = Stages.failureNow(inner);
    }
    if (here) {
      proceed(step(value, failure));
    } else {
      accept(value, failure);
    }
  }

  /** Two or more statements waiting for the same nested one (its future returned twice). */
  private static final class Waiters {
    final Statement<?, ?> first;
    final Object rest;

    Waiters(Statement<?, ?> first, Object rest) {
      this.first = first;
      this.rest = rest;
    }
  }

  /** Finishes the statement ends queued on this thread; see {@link ThreadQueues}. */
  static boolean finishQueuedHere() {
    return Trampoline.finishQueued();
  }

  /**
   * Runs statement ends one after another on the current thread instead of one inside another:
   * ending a statement completes its result, whose dependents may end another statement, and so
   * on, 10,000 deep in a nesting of statements. The first end on a thread drains the queue that
   * the ones it causes join.
   */
  private static final class Trampoline {
    /**
     * How many ends the queue may have held since it was last empty and still be kept: a queue
     * that held more is dropped the next time it is found empty (which may be inside a chain, when
     * {@link #finishQueued} empties it), so a thread keeps no large queue between chains.
     */
    private static final int MOST_ENDS_KEPT = 64;

    private boolean draining;
    /**
     * The ends waiting to be finished, oldest first; made on the first end that has to wait. A
     * queue of its own rather than a link in each statement, so that no statement carries a field
     * for the rare deep chain.
     */
    private ArrayDeque<Statement<?, ?>> queued;
    /** The most ends {@link #queued} has held since it was last empty. */
    private int deepest;

    static void finish(Statement<?, ?> statement) {
      Trampoline trampoline = TRAMPOLINES.get();
      if (trampoline.draining) {
        try {
          trampoline.enqueue(statement);
        } catch (Throwable noRoom) {
          // The queue could not grow (an OutOfMemoryError): finish this end here rather than
          // lose it, then let the error go on as it would have.
          finishNow(statement);
          throw noRoom;
        }
        return;
      }
      trampoline.draining = true;
      try {
        for (Statement<?, ?> next = statement; next != null; next = trampoline.poll()) {
          finishNow(next);
        }
      } finally {
        trampoline.draining = false;
      }
    }

    /** Finishes one end, with what it throws sent to the uncaught-exception handler. */
    private static void finishNow(Statement<?, ?> statement) {
      try {
        statement.completeAndNotify();
      } catch (Throwable bug) {
        Failures.reportUncaught(bug);
      }
    }

    /**
     * Finishes, now, the statements queued on this thread behind the end it is finishing (see
     * {@link ThreadQueues}); returns whether there were any. The outer loop in {@link #finish}
     * then finds the queue emptied, so the stack grows by this loop only, not with the chain.
     */
    static boolean finishQueued() {
      Trampoline trampoline = TRAMPOLINES.get();
      boolean ran = false;
      for (Statement<?, ?> next; (next = trampoline.poll()) != null; ) {
        ran = true;
        finishNow(next);
      }
      return ran;
    }

    private void enqueue(Statement<?, ?> statement) {
      if (queued == null) {
        queued = new ArrayDeque<>();
      }
      queued.addLast(statement);
      deepest = Math.max(deepest, queued.size());
    }

    private Statement<?, ?> poll() {
      if (queued == null) {
        return null;
      }
      Statement<?, ?> next = queued.pollFirst();
      if (next == null) {
        if (deepest > MOST_ENDS_KEPT) {
          queued = null; // a deep chain grew it: the thread does not keep that much between chains
        }
        deepest = 0;
      }
      return next;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The caller completing the result early counts as a cancel (rule 6).

  /** Cancels the body's stage, if the body has returned one and the statement has not ended. */
  @Override
  final void completedByCaller() {
    CompletionStage<?> running = block;
    if (running != null && (phase & STEP) != ENDED) {
      Stages.cancel(running);
    }
  }
}
