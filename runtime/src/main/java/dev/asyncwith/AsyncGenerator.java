package dev.asyncwith;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The engine behind a generated non-blocking manager: the base class of each class the asyncwith
 * processor generates from a method that takes an {@link AsyncYield} and returns a
 * {@link CompletionStage}. It plays the part of Python's {@code _AsyncGeneratorContextManager},
 * the object {@code @asynccontextmanager} wraps around an async generator.
 *
 * <p>A generated subclass only stores the method's arguments and calls the method from
 * {@link #generate(AsyncYield)}:
 * <pre>{@code
 * public final class PoolsLease extends AsyncGenerator<Connection> {
 *   private final ConnectionPool pool;
 *   private PoolsLease(ConnectionPool pool) { super("Pools.lease"); this.pool = pool; }
 *   public static PoolsLease of(ConnectionPool pool) { return new PoolsLease(pool); }
 *   @Override protected CompletionStage<?> generate(AsyncYield<Connection> yield) {
 *     return Pools.lease(this.pool, yield);
 *   }
 * }
 * }</pre>
 * The rules live here, once:
 * <ul>
 *   <li>{@link #enter()} calls the method, on the caller's thread. Its stage completes with the
 *       value the method yields, on the thread that calls {@code yield}; it fails with the
 *       method's failure, or with an {@link IllegalStateException} "... did not yield", if the
 *       method completes without yielding (Python: "generator didn't yield").
 *   <li>{@link #exit(Throwable)} hands the block's outcome to the method: the stage {@code yield}
 *       returned completes normally, or fails with the block's failure itself. How the method's
 *       own stage then completes decides {@code exit}'s result, as in Python: normally after a
 *       failed block suppresses it ({@code true}); failing with that same failure (compared by
 *       identity) lets it stand ({@code false}); failing with another failure replaces it
 *       ({@code exit} fails with that one). After a block that completed normally, {@code exit}
 *       completes {@code false}, or fails if the method does.
 *   <li>A second {@code yield} never throws: the stage it returns fails with an {@link
 *       IllegalStateException} "... yielded twice" (Python: "generator didn't stop"), and {@code
 *       exit} fails with that failure even if the method recovered from it (a different failure
 *       raised instead wins, with it attached).
 *   <li>A method whose stage completes while the block is still running did not wait for the
 *       stage {@code yield} returned: its teardown ran too early, and {@code exit} fails with an
 *       {@link IllegalStateException} that says so.
 *   <li>A method that throws, or returns {@code null}, counts as its stage failing there.
 *   <li>An instance is single-use: a second {@code enter} or {@code exit}, or an {@code exit}
 *       without a completed {@code enter}, fails with an {@link IllegalStateException}. That
 *       includes {@code exit} on an instance that {@code use} or {@link AsyncWith} entered: the
 *       statement exits it itself. Like every failure here, it is reported as a failed stage,
 *       never thrown.
 *   <li>If the caller completes {@code enter}'s stage itself (cancels it, say) before the method
 *       yields, the block will never run: that failure is delivered at the yield at once, so the
 *       teardown runs, and a teardown failure other than a cancellation goes to the
 *       uncaught-exception handler of the thread that sees it.
 * </ul>
 *
 * <p>No thread of its own is used and nothing blocks: every step runs on the thread that caused
 * it (the caller of {@code enter} or {@code exit}, or the thread that completes a stage). An
 * instance may be handed between threads, for example through the stages it returns.
 *
 * <p>Inside {@link #use}, {@link AsyncWith} and the timeout, the block runs inside the yield
 * call: when the block completes at once, the stage {@code yield} returns has already completed
 * when the method gets it, so its teardown runs straight away, without a callback. Through
 * {@link #enter()} and {@link #exit(Throwable)} called by hand (or by {@link AsyncExitStack}),
 * the block runs wherever its caller attaches it to {@code enter}'s stage.
 *
 * <p>Through {@link #call}, the synchronous statement, the method runs on the calling thread; when
 * it yields there (a setup that completes at once) the block runs inside the yield call as above,
 * and nothing waits. When it yields later, on another thread, that thread hands the value over and
 * the calling thread, which waited for it, runs the block; it waits again only while the method's
 * stage is pending after the block.
 *
 * @param <T> the type of the value the method yields
 */
public abstract class AsyncGenerator<T> extends GeneratorEngine<T> implements AsyncResource<T> {

  /*
   * The state word and what both engines share are in GeneratorEngine. Per cycle this allocates
   * the instance, enter's stage, the method's yield (a Yielded) and, unless the block ended inside
   * the yield (below), the stage yield returns, made after the hand-off. When the method yields
   * during enter and its teardown completes inside exit (a synchronous setup and teardown), exit
   * reads the method's stage directly and returns a shared constant: nothing else is allocated
   * and no callback is registered.
   *
   * The statement (use, AsyncWith) drives the engine through enterTo/exitTo instead: no stage for
   * enter or exit at all, and the block runs inside the yield call. When it also ends there, on
   * the thread that runs the method (the usual synchronous cycle), the yield returns a shared
   * completed stage (or a failed one), so the method's teardown attaches to a stage that has
   * already completed (CompletableFuture's fast path); and because the method's stage is not
   * watched yet, exit publishes without an atomic operation, and the method's completion, read
   * at once when generate returns, reports exit's decision with none either (GeneratorEngine's
   * class comment says why that is safe).
   */
  /*
   * What this engine adds to GeneratorEngine's machine:
   *
   *   the state word: YIELDED ──the method returned a pending stage after yielding, and exit has
   *   not come yet──▶ +DEFERRED: exit reads the method's stage itself (usually complete by then)
   *   instead of a callback registered on it. Exit that came first leaves watching to start().
   *
   *   yieldStep, used only by the thread inside generate (so plain):
   *     0 ──the first yield hands off on that thread──▶ IN_YIELD
   *     IN_YIELD ──the statement's exit runs inside the hand-off (exitsAlone)──▶ DELIVERED_IN_YIELD:
   *               the yield returns the block's outcome as a completed stage, no stage of its own
   *     IN_YIELD ──the hand-off returns without an exit──▶ 0: the yield returns yieldStage
   *
   *   yieldStage (compare-and-set between the yield and exit, whichever comes first):
   *     null ──the yield, after its hand-off──▶ a new stage, that exit completes
   *     null ──exit, before the yield returned──▶ a completed stage of the block's outcome, that
   *            the yield returns
   */
  private static final int DEFERRED = FIRST_ENGINE_BIT; // exit, not a callback, watches the method

  private static final byte IN_YIELD = 1; // the first yield is handing off, inside generate
  private static final byte DELIVERED_IN_YIELD = 2; // ... and exit delivered the block meanwhile

  private static final VarHandle YIELD_STAGE;

  static {
    try {
      YIELD_STAGE =
          MethodHandles.lookup()
              .findVarHandle(AsyncGenerator.class, "yieldStage", CompletableFuture.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private CompletableFuture<?> method; // published by DEFERRED
  /**
   * The stage the first yield returns, when the block did not end inside it: set by compare-and-set
   * by whichever comes first, the yield after its hand-off (a new stage, that exit completes) or
   * exit (a completed one, that the yield returns).
   */
  private CompletableFuture<Void> yieldStage;
  /**
   * The thread inside {@link #generate}, while it is; {@code null} after. Only that thread can
   * read itself here (a stale value names another thread), so seeing the current thread means
   * the method's stage is not watched yet: its completion cannot be reported meanwhile.
   */
  private Thread generating;
  /** {@link #IN_YIELD}, {@link #DELIVERED_IN_YIELD} or 0; only the generating thread uses it. */
  private byte yieldStep;

  /**
   * Creates the engine for one use.
   *
   * @param name the source method as {@code Enclosing.method}, used in failure messages
   * @throws NullPointerException if {@code name} is {@code null}
   */
  protected AsyncGenerator(String name) {
    super(name);
  }

  /**
   * Calls the generator method with {@code yield}. Called at most once, when the instance is
   * entered.
   *
   * @param yield the yield the method must call exactly once
   * @return the method's stage; it must complete only after the method's teardown
   * @throws Throwable whatever the method throws; it counts as the method's stage failing
   */
  protected abstract CompletionStage<?> generate(AsyncYield<T> yield) throws Throwable;

  /**
   * Runs the method up to its yield: Python's {@code __aenter__}.
   *
   * @return a stage that completes with the value the method yields, on the thread that yields;
   *     or fails with the method's failure, with an {@link IllegalStateException} if the method
   *     completed without yielding, or if this instance was already entered
   */
  @Override
  public final CompletionStage<T> enter() {
    return enterWithStage();
  }

  /** Calls the method, then watches its stage. */
  @Override
  final void start() {
    Yielded<T> yield = new Yielded<>(this);
    CompletionStage<?> result;
    generating = Thread.currentThread();
    try {
      result = generate(yield);
    } catch (Throwable thrown) {
      generating = null;
      methodCompleted(thrown, true);
      return;
    }
    generating = null;
    if (result == null) {
      methodCompleted(Failures.returnedNull(name), true);
    } else {
      watch(result);
    }
  }

  /**
   * Delivers the block's outcome at the method's yield and reports how the method took it:
   * Python's {@code __aexit__}.
   *
   * @param failure the block's failure (unwrapped from {@link java.util.concurrent
   *     .CompletionException} here too), or {@code null} when the block completed normally
   * @return a stage that completes once the method's stage has: {@code true} when the method
   *     recovered from {@code failure}, {@code false} when it let the block's outcome stand; or
   *     fails with the method's own different failure, or with an {@link IllegalStateException}
   *     when the method yielded twice or completed too early, or when this instance was not
   *     entered or was already exited
   */
  @Override
  public final CompletionStage<Boolean> exit(Throwable failure) {
    return exitWithStage(failure);
  }

  /** Inside the method's first yield, within generate on this thread: see the class comment. */
  @Override
  final boolean exitsAlone() {
    return generating == Thread.currentThread() && yieldStep == IN_YIELD;
  }

  /** Completes the stage the yield returned, and finds out how the method took it. */
  @Override
  final Object deliver(int claimed, Throwable block, Outcome outcome) {
    if (exitsAlone()) {
      // Inside the method's first yield, within generate on this thread: the yield returns the
      // block's outcome itself, and the method's completion (not watched yet) reports the decision.
      yieldStep = DELIVERED_IN_YIELD;
      publishExitAlone(block, outcome);
      return PENDING;
    }
    if ((claimed & DEFERRED) == 0) {
      // enter registered a callback on the method's stage, or saw it complete; or the method has
      // not returned its stage yet (the block ran inside the yield).
      completeYieldStage(block);
      Object decision = decisionIfDone(stateAcquire(), block, false);
      return decision != PENDING ? decision : awaitMethod(block, null, false, outcome);
    }
    // The method yielded during enter and left exit to watch its stage: usually it completes
    // inside complete(), and its outcome can be read without registering anything.
    CompletableFuture<?> future = method;
    boolean early = future.isDone();
    completeYieldStage(block);
    if (future.isDone() && !future.isCompletedExceptionally()) {
      return decide(block, null, early);
    }
    return awaitMethod(block, future, early, outcome);
  }

  /** Watches the method's stage: reads it now, leaves it to exit, or registers a callback. */
  private void watch(CompletionStage<?> result) {
    if (result.getClass() == CompletableFuture.class || result == Stages.completedNull()) {
      CompletableFuture<?> future = (CompletableFuture<?>) result;
      if (future.isDone()) {
        if (!future.isCompletedExceptionally()) {
          methodCompleted(null, true); // its only report: nothing is registered on the stage
          return;
        }
      } else if ((state() & YIELDED) != 0) {
        method = future;
        if ((addBits(DEFERRED) & EXITED) == 0) {
          return; // exit will see DEFERRED and watch it
        }
        // exit was called first (the block ran inside yield) and left watching to us.
      }
    }
    try {
      result.whenComplete(methodWatcher());
    } catch (Throwable thrown) {
      methodCompleted(thrown); // a foreign CompletionStage that cannot be watched
    }
  }

  /**
   * Publishes where exit's decision goes, for the method's completion to report it; returns
   * {@link #PENDING}, or the decision itself if the method completed meanwhile.
   */
  private Object awaitMethod(
      Throwable block,
      CompletableFuture<?> watched,
      boolean early,
      Outcome outcome) {
    int before = publishExit(block, outcome, early);
    // If the method completed after exit looked, its callback saw no DELIVERED and left it here.
    Object decision = decisionIfDone(before, block, early);
    if (decision == PENDING && watched != null) {
      watched.whenComplete(methodWatcher());
    }
    return decision;
  }

  /** The method called {@code yield}: completes enter's stage, or fails a second yield. */
  private CompletionStage<Void> onYield(T value) {
    IllegalStateException misplaced = markYielded();
    if (misplaced != null) {
      return CompletableFuture.failedFuture(misplaced);
    }
    if (generating != Thread.currentThread()) {
      handOff(value);
      return yieldStage();
    }
    yieldStep = IN_YIELD;
    try {
      handOff(value);
    } finally {
      if (yieldStep == IN_YIELD) {
        yieldStep = 0; // the block goes on after the yield returns
      }
    }
    if (yieldStep != DELIVERED_IN_YIELD) {
      return yieldStage();
    }
    // The block ended inside the hand-off: its outcome, with no stage of its own.
    Throwable block = blockFailure();
    return block == null ? Stages.completedNull() : CompletableFuture.failedFuture(block);
  }

  /** The stage the first yield returns after its hand-off: exit's, or one that exit completes. */
  private CompletionStage<Void> yieldStage() {
    CompletableFuture<Void> fresh = new CompletableFuture<>();
    @SuppressWarnings("unchecked") // the field holds stages of Void
    CompletableFuture<Void> witness =
        (CompletableFuture<Void>) YIELD_STAGE.compareAndExchange(this, null, fresh);
    return witness == null ? fresh : witness;
  }

  /** Hands the block's outcome to the stage the first yield returns, or will return. */
  private void completeYieldStage(Throwable block) {
    @SuppressWarnings("unchecked") // the field holds stages of Void
    CompletableFuture<Void> stage = (CompletableFuture<Void>) YIELD_STAGE.getAcquire(this);
    if (stage == null) {
      CompletableFuture<Void> outcome =
          block == null
              ? (CompletableFuture<Void>) Stages.<Void>completedNull()
              : CompletableFuture.failedFuture(block);
      @SuppressWarnings("unchecked") // the field holds stages of Void
      CompletableFuture<Void> witness =
          (CompletableFuture<Void>) YIELD_STAGE.compareAndExchange(this, null, outcome);
      if (witness == null) {
        return; // the yield has not returned yet: it returns this outcome
      }
      stage = witness;
    }
    complete(stage, block);
  }

  /**
   * The callback on the method's stage, made only when a stage must be watched (at most once per
   * cycle). A separate object rather than the engine or the {@link Yielded}, so that no public
   * callback shows on either.
   */
  private BiConsumer<Object, Throwable> methodWatcher() {
    return (ignored, failure) -> methodCompleted(failure);
  }

  private static void complete(CompletableFuture<Void> yield, Throwable block) {
    if (block == null) {
      yield.complete(null);
    } else {
      yield.completeExceptionally(block);
    }
  }

  /**
   * The method's {@link AsyncYield}: an internal object rather than the instance itself, so that
   * the generated class shows no {@code yield} method.
   */
  private static final class Yielded<T> implements AsyncYield<T> {
    private final AsyncGenerator<T> engine;

    Yielded(AsyncGenerator<T> engine) {
      this.engine = engine;
    }

    @Override
    public CompletionStage<Void> yield(T value) {
      return engine.onYield(value);
    }
  }
}
