package dev.asyncwith;

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
 *       without a completed {@code enter}, fails with an {@link IllegalStateException}. Like every
 *       failure here, it is reported as a failed stage, never thrown.
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
 * @param <T> the type of the value the method yields
 */
public abstract class AsyncGenerator<T> extends GeneratorEngine<T> implements AsyncResource<T> {

  /*
   * The state word and what both engines share are in GeneratorEngine. Per cycle this allocates
   * the instance, enter's stage and one Yielded (the method's yield, the stage yield returns, and
   * the callback on the method's stage, in one object). When the method yields during enter and
   * its teardown completes inside exit (a synchronous setup and teardown), exit reads the method's
   * stage directly and returns a shared constant: nothing else is allocated and no callback is
   * registered.
   *
   * The statement (use, AsyncWith) drives the engine through enterTo/exitTo instead: no stage for
   * enter or exit at all, and the block runs inside the yield call, so that a block that
   * completes at once has been delivered before yield returns, and the method's teardown attaches
   * to a stage that has already completed (CompletableFuture's fast path).
   */
  private static final int DEFERRED = FIRST_ENGINE_BIT; // exit, not a callback, watches the method

  private Yielded<T> yielded; // set before the method runs
  private CompletableFuture<?> method; // published by DEFERRED

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
    yielded = yield;
    CompletionStage<?> result;
    try {
      result = generate(yield);
    } catch (Throwable thrown) {
      methodCompleted(thrown);
      return;
    }
    if (result == null) {
      methodCompleted(Failures.returnedNull(name));
    } else {
      watch(result, yield);
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

  /** Completes the stage the yield returned, and finds out how the method took it. */
  @Override
  final Object deliver(int claimed, Throwable block, Outcome outcome) {
    Yielded<T> yield = yielded;
    if ((claimed & DEFERRED) == 0) {
      // enter registered a callback on the method's stage, or saw it complete; or the method has
      // not returned its stage yet (the block ran inside the yield).
      complete(yield, block);
      Object decision = decisionIfDone(stateAcquire(), block, false);
      return decision != PENDING ? decision : awaitMethod(block, null, false, outcome);
    }
    // The method yielded during enter and left exit to watch its stage: usually it completes
    // inside complete(), and its outcome can be read without registering anything.
    CompletableFuture<?> future = method;
    boolean early = future.isDone();
    complete(yield, block);
    if (future.isDone() && !future.isCompletedExceptionally()) {
      return decide(block, null, early);
    }
    return awaitMethod(block, future, early, outcome);
  }

  /** Watches the method's stage: reads it now, leaves it to exit, or registers a callback. */
  private void watch(CompletionStage<?> result, Yielded<T> yield) {
    if (result.getClass() == CompletableFuture.class || result == yield) {
      CompletableFuture<?> future = (CompletableFuture<?>) result;
      if (future.isDone()) {
        if (!future.isCompletedExceptionally()) {
          methodCompleted(null);
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
  private CompletionStage<Void> onYield(Yielded<T> yield, T value) {
    IllegalStateException misplaced = markYielded();
    if (misplaced != null) {
      return CompletableFuture.failedFuture(misplaced);
    }
    handOff(value);
    return yield;
  }

  /**
   * The callback on the method's stage, made only when a stage must be watched (at most once per
   * cycle). A separate object rather than the {@link Yielded} itself, which the method holds as
   * its yield and its stage and so could call it.
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
   * The method's {@link AsyncYield}, which is also the stage its (first) yield returns: one object
   * per cycle instead of two. It is internal: the method sees it only as an {@code AsyncYield} and
   * a {@code CompletionStage}.
   */
  private static final class Yielded<T> extends CompletableFuture<Void> implements AsyncYield<T> {
    private final AsyncGenerator<T> engine;

    Yielded(AsyncGenerator<T> engine) {
      this.engine = engine;
    }

    @Override
    public CompletionStage<Void> yield(T value) {
      return engine.onYield(this, value);
    }
  }
}
