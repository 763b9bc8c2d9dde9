package dev.asyncwith;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the two generator engines, {@link AsyncGenerator} and {@link BlockingGenerator}, share: the
 * single-use state word, where enter's and exit's outcomes go (a stage, or the statement's
 * callback), handing the yielded value to the block, the "yielded twice" failure, and reporting
 * the method's outcome once both it and the block have finished. Each engine adds how the method
 * runs ({@link #start}) and how the block's outcome reaches it ({@link #deliver}).
 *
 * <p>One state word, changed by atomic read-modify-write operations, with two exceptions below. Its
 * bits are only ever added, so a plain read that sees a bit set can trust it; a stale plain read
 * only costs a failed compare-and-set. Each field below is written before the bit that publishes it
 * is set and read only after that bit was seen, so the fields themselves need no fences.
 *
 * <p>The plain writes, on the hot path of a statement whose steps run on one thread. Once the word
 * has {@link #YIELDED}, every other writer but exit and the method's completion finds its bit
 * taken and writes nothing (enter needs a zero word, a second yield records itself elsewhere); with
 * {@link #BY_STATEMENT} set, only the statement exits (a public exit fails without writing); and
 * the method's completion is reported only once its stage is watched, after the method returned.
 * So the statement's exit, running inside the method's call on its thread ({@link #exitsAlone}),
 * claims {@link #EXITED} and publishes {@link #DELIVERED} ({@link #publishExitAlone}) with plain
 * writes; and {@link #methodCompleted(Throwable, boolean)} writes {@link #DONE} plainly after
 * {@code DELIVERED} when it is the stage's only report (nobody else can write at all by then).
 * Whoever reads those bits later is ordered after the writes by the thread that made them (it
 * registered the callback, or it is that thread).
 *
 * <p>A third exception: a blocking method run in place by {@code call} ({@link #enterInPlace}).
 * After the single-use claim, only the calling thread writes the state word until the call ends
 * (see "A call that runs the method in place" below), so its steps are plain writes.
 *
 * @param <T> the type of the value the method yields
 */
abstract class GeneratorEngine<T> extends DirectResource<T> {
  // Package-private rather than public: the public engines that extend this class do not show
  // these members to users (the same reason DirectResource is an abstract class).

  /*
   * The engine's machine: one state word of bits that are only ever added (see the class comment
   * for which writes may be plain). Read "+X" as "X is added".
   *
   *   0        ──enter() or enterTo (compare-and-set from 0; a second enter fails)──▶ +ENTERED
   *                (+BY_STATEMENT when the statement entered: then only it exits)
   *   ENTERED  ──the method's first yield (markYielded)──▶ +YIELDED: the value is handed off
   *   ENTERED  ──the method completes without yielding──▶ +DONE: enter fails (did not yield)
   *   YIELDED  ──exit claims the instance (compare-and-set; plain when alone)──▶ +EXITED
   *              (an exit before YIELDED, or a second one, fails without writing)
   *   EXITED   ──exit publishes the block's outcome and where the decision goes──▶ +DELIVERED
   *   YIELDED  ──the method completes──▶ +DONE, and +EARLY if the block still ran (no EXITED)
   *
   * Exit's decision (GeneratorOutcome.decide) is reported once both DELIVERED and DONE are set,
   * by whichever of the two came second. A yield after YIELDED records the "yielded twice"
   * failure (twiceFailure) and changes no bit. Each engine adds bits of its own from
   * FIRST_ENGINE_BIT: AsyncGenerator's DEFERRED (exit, not a callback, reads the method's stage)
   * and BlockingGenerator's CALLED (the method runs in place, inside call).
   */
  static final int ENTERED = 1; // enter was called
  static final int YIELDED = 2; // the method yielded (the first time)
  static final int EXITED = 4; // exit was called
  static final int DELIVERED = 8; // exit published where its decision goes, and the block's outcome
  static final int DONE = 16; // the method's outcome is in methodFailure
  static final int EARLY = 32; // the method completed while the block still ran
  /**
   * Entered by the statement (enterTo), which alone exits it: a public {@code exit} fails, as an
   * exit without a completed {@code enter()}, so the statement's exit has no rival.
   */
  static final int BY_STATEMENT = 64;
  /** The lowest bit an engine may use for a state of its own. */
  static final int FIRST_ENGINE_BIT = 128;

  /** What the internal exit returns while the method has not completed yet. */
  static final Object PENDING = new Object();

  private static final VarHandle STATE;
  private static final VarHandle TWICE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(GeneratorEngine.class, "state", int.class);
      TWICE =
          lookup.findVarHandle(GeneratorEngine.class, "twiceFailure", IllegalStateException.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The source method as {@code Enclosing.method}, for failure messages. */
  final String name;

  private int state;
  /*
   * Where enter's and exit's outcomes go: a stage (enter, exit) or the statement's Outcome
   * (enterTo, exitTo). One field each, as only one of the two is ever used; an Outcome is tested
   * first, since the statement is also a CompletableFuture. A call that runs the method in place
   * (BlockingGenerator.call) has neither: enterSink holds its Block, and exitSink the block's value
   * (see enterInPlace), so that such a call allocates nothing beyond the instance and its yield.
   */
  private Object enterSink; // set before the method runs
  private Throwable methodFailure; // published by DONE
  private Throwable blockFailure; // published by DELIVERED
  private Object exitSink; // published by DELIVERED
  private IllegalStateException twiceFailure; // set once, through TWICE

  GeneratorEngine(String name) {
    if (name == null) {
      throw new NullPointerException("name");
    }
    this.name = name;
  }

  /** Starts the method; it reports through {@link #methodCompleted} and {@link #handOff}. */
  abstract void start();

  /**
   * Hands the block's outcome to the method once {@code exit} has claimed the instance ({@code
   * claimed} is the state word just before the claim), and returns exit's decision, or {@link
   * #PENDING} after {@link #publishExit}.
   *
   * @param block the block's failure, unwrapped, or {@code null}
   * @param outcome the statement's callback, or {@code null} for a stage
   */
  abstract Object deliver(int claimed, Throwable block, Outcome outcome);

  // ---------------------------------------------------------------------------------------------
  // Enter and exit, with or without a stage.

  /** {@link AsyncResource#enter()}: the stage completes with the value, at the yield. */
  final CompletionStage<T> enterWithStage() {
    if (!STATE.compareAndSet(this, 0, ENTERED)) {
      return CompletableFuture.failedFuture(GeneratorOutcome.enteredTwice(name));
    }
    CompletableFuture<T> stage = new CompletableFuture<>();
    enterSink = stage;
    start();
    return stage;
  }

  /** {@link AsyncResource#enter()} for the statement: the value goes to {@code outcome}, inside the yield. */
  @Override
  final void enterTo(Outcome outcome) {
    if (!STATE.compareAndSet(this, 0, ENTERED | BY_STATEMENT)) {
      outcome.accept(null, GeneratorOutcome.enteredTwice(name));
      return;
    }
    enterSink = outcome;
    start();
  }

  /** {@link AsyncResource#exit(Throwable)}: a shared stage when the decision is known at once. */
  final CompletionStage<Boolean> exitWithStage(Throwable failure) {
    Object decision = exit(failure, null);
    if (decision == PENDING) {
      @SuppressWarnings("unchecked") // exit without an Outcome published a stage of its decision
      CompletableFuture<Boolean> stage = (CompletableFuture<Boolean>) exitSink;
      return stage;
    }
    return GeneratorOutcome.toStage(decision);
  }

  /** {@link AsyncResource#exit(Throwable)} for the statement: the outcome goes to {@code outcome}. */
  @Override
  final void exitTo(Throwable failure, Outcome outcome) {
    Object decision = exit(failure, outcome);
    if (decision != PENDING) {
      reportDecision(outcome, decision);
    }
  }

  /**
   * Whether the statement's exit, now, is the only thread that can write the state word (see the
   * class comment), so that it claims the exit without an atomic operation. Called only with
   * {@link #YIELDED} and {@link #BY_STATEMENT} set and {@link #EXITED} clear.
   */
  boolean exitsAlone() {
    return false;
  }

  /** Claims the single exit, then delivers the block's outcome; returns the decision or PENDING. */
  private Object exit(Throwable failure, Outcome outcome) {
    int s = state;
    if ((s & BY_STATEMENT) != 0 && outcome == null) {
      return GeneratorOutcome.exitOfStatement(name);
    }
    if ((s & (YIELDED | EXITED | BY_STATEMENT)) == (YIELDED | BY_STATEMENT)
        && outcome != null
        && exitsAlone()) {
      STATE.set(this, s | EXITED);
      return deliver(s, failure == null ? null : Failures.unwrap(failure), outcome);
    }
    for (int witness; ; s = witness) {
      if ((s & (YIELDED | EXITED)) != YIELDED) {
        return (s & EXITED) != 0
            ? GeneratorOutcome.exitedTwice(name)
            : GeneratorOutcome.exitBeforeEnter(name);
      }
      witness = (int) STATE.compareAndExchange(this, s, s | EXITED);
      if (witness == s) {
        break;
      }
    }
    return deliver(s, failure == null ? null : Failures.unwrap(failure), outcome);
  }

  /**
   * Publishes the block's outcome and where exit's decision goes ({@code outcome}, or else a new
   * stage), for the method's completion to report it; sets {@link #DELIVERED} (and {@link #EARLY}
   * if {@code early}).
   *
   * @return the state word before
   */
  final int publishExit(Throwable block, Outcome outcome, boolean early) {
    blockFailure = block;
    exitSink = outcome != null ? outcome : new CompletableFuture<Boolean>();
    return (int) STATE.getAndBitwiseOr(this, early ? DELIVERED | EARLY : DELIVERED);
  }

  /**
   * {@link #publishExit} without an atomic operation, for an exit that runs before the method's
   * stage is watched (inside the method's call, on its thread): nothing can set {@link #DONE}
   * meanwhile, and nothing else writes the state word once exit has claimed it (see the class
   * comment), so exit's decision is always left to the method's completion.
   */
  final void publishExitAlone(Throwable block, Outcome outcome) {
    blockFailure = block;
    exitSink = outcome != null ? outcome : new CompletableFuture<Boolean>();
    STATE.set(this, state | DELIVERED);
  }

  /**
   * Exit's decision if the state word {@code s} shows the method done (its completion found no
   * sink and left the decision to exit), else {@link #PENDING}.
   */
  final Object decisionIfDone(int s, Throwable block, boolean early) {
    if ((s & DONE) == 0) {
      return PENDING;
    }
    return decide(block, methodFailure, early || (s & EARLY) != 0);
  }

  /** {@link GeneratorOutcome#decide} for this method. */
  final Object decide(Throwable block, Throwable method, boolean early) {
    return GeneratorOutcome.decide(name, block, method, twice(), early);
  }

  // ---------------------------------------------------------------------------------------------
  // A call that runs the method in place, on the calling thread, with the block inside its yield.

  /**
   * Claims this instance for a synchronous call that runs the method in place: entered by a
   * statement ({@link #BY_STATEMENT}: a public {@code exit} fails), with the engine's {@code bits}.
   *
   * @param block the call's block, kept until the method yields
   * @return whether the instance was fresh; if not, nothing changed
   */
  final boolean enterInPlace(Object block, int bits) {
    if (!STATE.compareAndSet(this, 0, ENTERED | BY_STATEMENT | bits)) {
      return false;
    }
    enterSink = block;
    return true;
  }

  /** The call's block, as {@link #enterInPlace} kept it. */
  final Object blockInPlace() {
    return enterSink;
  }

  /*
   * During a call that runs the method in place, only the calling thread writes the state word:
   * another enter finds it non-zero and a public exit finds BY_STATEMENT, both without writing, and
   * a yield from another thread writes nothing (see BlockingGenerator.yieldInPlace). So the steps
   * below use plain writes with release ordering, no atomic operation.
   */

  /**
   * Marks the method's first yield during a call in place, on the calling thread.
   *
   * @return {@code null}, or the failure of a yield that came second or after the method completed
   */
  final IllegalStateException markYieldedInPlace() {
    int s = state;
    if ((s & YIELDED) != 0) {
      return recordTwice();
    }
    if ((s & DONE) != 0) {
      return GeneratorOutcome.yieldedAfterCompleting(name);
    }
    STATE.setRelease(this, s | YIELDED);
    return null;
  }

  /**
   * The block ran inside the method's yield and ended with {@code value} or {@code block} (its
   * failure, unwrapped): records both, and marks the instance exited with the block delivered.
   */
  final void blockEndedInPlace(Object value, Throwable block) {
    blockFailure = block;
    exitSink = value;
    STATE.setRelease(this, state | EXITED | DELIVERED);
  }

  /**
   * The method returned or threw during a call in place: marks it done.
   *
   * @return whether it had yielded
   */
  final boolean methodEndedInPlace() {
    int s = state;
    STATE.setRelease(this, s | DONE);
    return (s & YIELDED) != 0;
  }

  /** The value of the block that ran in place, once {@link #blockEndedInPlace} recorded it. */
  final Object valueInPlace() {
    return exitSink;
  }

  // ---------------------------------------------------------------------------------------------
  // The method's side.

  /**
   * Marks the method's first yield.
   *
   * @return {@code null}, or the failure of a yield that came second or after the method completed
   */
  final IllegalStateException markYielded() {
    int s = state;
    for (int witness; ; s = witness) {
      if ((s & YIELDED) != 0) {
        return recordTwice();
      }
      if ((s & DONE) != 0) {
        return GeneratorOutcome.yieldedAfterCompleting(name);
      }
      witness = (int) STATE.compareAndExchange(this, s, s | YIELDED);
      if (witness == s) {
        return null;
      }
    }
  }

  /**
   * Hands the yielded value to the block: to the statement, whose block runs inside this call, or
   * by completing enter's stage, which runs a block attached to it here.
   */
  final void handOff(T value) {
    Object sink = enterSink;
    if (sink instanceof Outcome) {
      report((Outcome) sink, value, null); // the block runs here, may exit here
    } else {
      @SuppressWarnings("unchecked") // enter made a stage of the value
      CompletableFuture<T> stage = (CompletableFuture<T>) sink;
      if (!stage.complete(value)) {
        enterTakenOver(stage);
      }
    }
  }

  /**
   * Records the method's outcome (its failure, or {@code null}) and reports it: enter fails if the
   * method did not yield; exit's decision is reported if exit has published where it goes.
   */
  final void methodCompleted(Throwable raw) {
    methodCompleted(raw, false);
  }

  /**
   * {@link #methodCompleted(Throwable)}; {@code alone} tells that this is the only report of the
   * method's outcome (no callback was registered on its stage), so that once exit has delivered,
   * nothing else can write the state word and {@link #DONE} needs no atomic operation.
   */
  final void methodCompleted(Throwable raw, boolean alone) {
    Throwable failure = raw == null ? null : Failures.unwrap(raw);
    int s = (int) STATE.getAcquire(this);
    if ((s & DONE) != 0) {
      return; // a stage that called back twice
    }
    methodFailure = failure;
    int next;
    if (alone && (s & (YIELDED | EXITED | DELIVERED)) == (YIELDED | EXITED | DELIVERED)) {
      next = s | DONE;
      STATE.set(this, next);
      report(failure, next);
      return;
    }
    for (int witness; ; s = witness) {
      if ((s & DONE) != 0) {
        return;
      }
      next = s | DONE;
      if ((s & (YIELDED | EXITED)) == YIELDED) {
        next |= EARLY; // the block is still running
      }
      witness = (int) STATE.compareAndExchange(this, s, next);
      if (witness == s) {
        break;
      }
    }
    if ((s & YIELDED) == 0) {
      failEnter(failure);
    } else if ((s & DELIVERED) != 0) {
      report(failure, next);
    }
  }

  /** The method completed without yielding: enter fails. */
  private void failEnter(Throwable failure) {
    Throwable enterFailure = failure != null ? failure : GeneratorOutcome.didNotYield(name);
    Object sink = enterSink;
    if (sink instanceof Outcome) {
      ((Outcome) sink).accept(null, enterFailure);
    } else {
      ((CompletableFuture<?>) sink).completeExceptionally(enterFailure);
    }
  }

  /** Reports exit's decision, once exit has delivered and the method completed ({@code next}). */
  private void report(Throwable failure, int next) {
    Object decision = decide(blockFailure, failure, (next & EARLY) != 0);
    Object sink = exitSink;
    if (sink instanceof Outcome) {
      reportDecision((Outcome) sink, decision);
    } else {
      @SuppressWarnings("unchecked") // exit without an Outcome published a stage of its decision
      CompletableFuture<Boolean> stage = (CompletableFuture<Boolean>) sink;
      GeneratorOutcome.complete(stage, decision);
    }
  }

  /** Reports exit's decision, a Boolean or the failure, to the statement. */
  private static void reportDecision(Outcome outcome, Object decision) {
    if (decision instanceof Throwable) {
      report(outcome, null, (Throwable) decision);
    } else {
      report(outcome, decision, null);
    }
  }

  /**
   * Reports to the statement. {@code accept} never throws, so the catch is only a guard; the call
   * is kept in a small method of its own because, measured in the CPU-time harness (every kind of
   * cycle in one JVM), the generated cycle took 50.0 ns with {@code accept} called in place at each
   * site against 42.8 ns through this method: the JIT's inlining of the engine depends on it.
   */
  private static void report(Outcome outcome, Object value, Throwable failure) {
    try {
      outcome.accept(value, failure);
    } catch (Throwable bug) {
      Failures.reportUncaught(bug);
    }
  }

  /** The block's failure, once {@link #DELIVERED} was seen. */
  final Throwable blockFailure() {
    return blockFailure;
  }

  // ---------------------------------------------------------------------------------------------
  // The state word, for the engines.

  /** A plain read of the state word: a bit seen set can be trusted (bits are only added). */
  final int state() {
    return state;
  }

  /** The state word, read with acquire ordering: the fields its bits publish can be read. */
  final int stateAcquire() {
    return (int) STATE.getAcquire(this);
  }

  /** Atomically adds {@code bits}; returns the state word before. */
  final int addBits(int bits) {
    return (int) STATE.getAndBitwiseOr(this, bits);
  }

  /** The state word with acquire and release ordering, for a wait loop. */
  final int stateVolatile() {
    return (int) STATE.getVolatile(this);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The caller completed enter's stage before the method yielded. If it failed it (cancelled it,
   * say), the block will never run and exit will never be called: exit now, delivering that
   * failure at the yield, so the teardown runs. Nobody awaits that exit, so a failure of the
   * teardown other than the one delivered (or a cancellation) goes to the uncaught handler.
   */
  private void enterTakenOver(CompletableFuture<T> stage) {
    stage.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            exitWithStage(failure)
                .whenComplete(
                    (suppressed, thrown) -> GeneratorOutcome.reportIfNew(thrown, failure));
          }
        });
  }

  /** The failure of a second yield: one object, however many more yields there are. */
  private IllegalStateException recordTwice() {
    IllegalStateException failure = GeneratorOutcome.yieldedTwice(name);
    IllegalStateException witness =
        (IllegalStateException) TWICE.compareAndExchange(this, null, failure);
    return witness != null ? witness : failure;
  }

  private IllegalStateException twice() {
    return (IllegalStateException) TWICE.getAcquire(this);
  }
}
