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
public abstract class AsyncGenerator<T> extends DirectResource<T> implements AsyncResource<T> {

  /*
   * One state word, changed only by atomic read-modify-write operations. Its bits are only ever
   * added, so a plain read that sees a bit set can trust it; a stale plain read only costs a
   * failed compare-and-set. Each field below is written before the bit that publishes it is set
   * and read only after that bit was seen, so the fields themselves need no fences.
   *
   * Per cycle this allocates the instance, enter's stage and one Yielded (the method's yield,
   * the stage yield returns, and the callback on the method's stage, in one object). When the
   * method yields during enter and its teardown completes inside exit (a synchronous setup and
   * teardown), exit reads the method's stage directly and returns a shared constant: nothing
   * else is allocated and no callback is registered.
   *
   * The statement (use, AsyncWith) drives the engine through enterTo/exitTo instead: no stage for
   * enter or exit at all, and the block runs inside the yield call, so that a block that
   * completes at once has been delivered before yield returns, and the method's teardown attaches
   * to a stage that has already completed (CompletableFuture's fast path).
   */
  private static final int ENTERED = 1; // enter was called
  private static final int YIELDED = 2; // the method yielded (the first time)
  private static final int EXITED = 4; // exit was called
  private static final int DELIVERED = 8; // exit published its result stage and awaits the method
  private static final int DONE = 16; // the method's outcome is in methodFailure
  private static final int EARLY = 32; // the method completed while the block still ran
  private static final int DEFERRED = 64; // exit, not a callback, watches the method's stage

  /** What the internal exit returns while the method's stage has not completed yet. */
  private static final Object PENDING = new Object();

  private static final VarHandle STATE;
  private static final VarHandle TWICE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(AsyncGenerator.class, "state", int.class);
      TWICE =
          lookup.findVarHandle(AsyncGenerator.class, "twiceFailure", IllegalStateException.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private int state;
  private CompletableFuture<T> entered; // set before the method runs, by enter
  private BiConsumer<Object, Throwable> enterTo; // or this, by enterTo
  private Yielded<T> yielded; // set before the method runs
  private CompletableFuture<?> method; // published by DEFERRED
  private Throwable methodFailure; // published by DONE
  private Throwable blockFailure; // published by DELIVERED
  private CompletableFuture<Boolean> exitStage; // published by DELIVERED, for exit
  private BiConsumer<Object, Throwable> exitTo; // or this, for exitTo
  private IllegalStateException twiceFailure; // set once, through TWICE

  /**
   * Creates the engine for one use.
   *
   * @param name the source method as {@code Enclosing.method}, used in failure messages
   * @throws NullPointerException if {@code name} is {@code null}
   */
  protected AsyncGenerator(String name) {
    if (name == null) {
      throw new NullPointerException("name");
    }
    this.name = name;
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
    if (!STATE.compareAndSet(this, 0, ENTERED)) {
      return CompletableFuture.failedFuture(GeneratorOutcome.enteredTwice(name));
    }
    CompletableFuture<T> stage = new CompletableFuture<>();
    entered = stage;
    start();
    return stage;
  }

  /** {@link #enter()} for the statement: the value goes to {@code outcome}, inside the yield. */
  @Override
  final void enterTo(BiConsumer<Object, Throwable> outcome) {
    if (!STATE.compareAndSet(this, 0, ENTERED)) {
      GeneratorOutcome.report(outcome, null, GeneratorOutcome.enteredTwice(name));
      return;
    }
    enterTo = outcome;
    start();
  }

  /** Calls the method, then watches its stage. */
  private void start() {
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
    Object decision = exit(failure, null);
    return decision == PENDING ? exitStage : GeneratorOutcome.toStage(decision);
  }

  /** {@link #exit(Throwable)} for the statement: the outcome goes to {@code outcome}. */
  @Override
  final void exitTo(Throwable failure, BiConsumer<Object, Throwable> outcome) {
    Object decision = exit(failure, outcome);
    if (decision != PENDING) {
      GeneratorOutcome.report(outcome, decision);
    }
  }

  /**
   * Delivers the block's outcome and returns exit's decision, or {@link #PENDING} once a sink
   * for it is published: {@code outcome}, or else a new {@link #exitStage}.
   */
  private Object exit(Throwable failure, BiConsumer<Object, Throwable> outcome) {
    int s = state;
    for (int witness; ; s = witness) {
      if ((s & (YIELDED | EXITED)) != YIELDED) {
        return misplacedExit(s);
      }
      witness = (int) STATE.compareAndExchange(this, s, s | EXITED);
      if (witness == s) {
        break;
      }
    }
    Throwable block = failure == null ? null : Failures.unwrap(failure);
    Yielded<T> yield = yielded;
    if ((s & DEFERRED) == 0) {
      // enter registered a callback on the method's stage, or saw it complete; or the method has
      // not returned its stage yet (the block ran inside the yield).
      deliver(yield, block);
      int now = (int) STATE.getAcquire(this);
      if ((now & DONE) != 0) {
        return GeneratorOutcome.decide(name, block, methodFailure, twice(), (now & EARLY) != 0);
      }
      return awaitMethod(block, null, false, outcome);
    }
    // The method yielded during enter and left exit to watch its stage: usually it completes
    // inside deliver, and its outcome can be read without registering anything.
    CompletableFuture<?> future = method;
    boolean early = future.isDone();
    deliver(yield, block);
    if (future.isDone() && !future.isCompletedExceptionally()) {
      return GeneratorOutcome.decide(name, block, null, twice(), early);
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
      } else if ((state & YIELDED) != 0) {
        method = future;
        if (((int) STATE.getAndBitwiseOr(this, DEFERRED) & EXITED) == 0) {
          return; // exit will see DEFERRED and watch it
        }
        // exit was called first (the block ran inside yield) and left watching to us.
      }
    }
    try {
      result.whenComplete(yield);
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
      BiConsumer<Object, Throwable> outcome) {
    blockFailure = block;
    if (outcome != null) {
      exitTo = outcome;
    } else {
      exitStage = new CompletableFuture<>();
    }
    int before = (int) STATE.getAndBitwiseOr(this, early ? DELIVERED | EARLY : DELIVERED);
    if ((before & DONE) != 0) {
      // The method completed after exit looked; its callback saw no DELIVERED and left it here.
      return GeneratorOutcome.decide(
          name, block, methodFailure, twice(), early || (before & EARLY) != 0);
    }
    if (watched != null) {
      watched.whenComplete(yielded);
    }
    return PENDING;
  }

  /** Records the method's outcome; completes enter's or exit's stage if it now can. */
  private void methodCompleted(Throwable raw) {
    Throwable failure = raw == null ? null : Failures.unwrap(raw);
    int s = state;
    if ((s & DONE) != 0) {
      return;
    }
    methodFailure = failure;
    int next;
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
      Throwable enterFailure = failure != null ? failure : GeneratorOutcome.didNotYield(name);
      BiConsumer<Object, Throwable> outcome = enterTo;
      if (outcome != null) {
        GeneratorOutcome.report(outcome, null, enterFailure);
      } else {
        entered.completeExceptionally(enterFailure);
      }
    } else if ((s & DELIVERED) != 0) {
      Object decision =
          GeneratorOutcome.decide(name, blockFailure, failure, twice(), (next & EARLY) != 0);
      BiConsumer<Object, Throwable> outcome = exitTo;
      if (outcome != null) {
        GeneratorOutcome.report(outcome, decision);
      } else {
        GeneratorOutcome.complete(exitStage, decision);
      }
    }
  }

  /** The method called {@code yield}: completes enter's stage, or fails a second yield. */
  private CompletionStage<Void> onYield(Yielded<T> yield, T value) {
    int s = state;
    for (int witness; ; s = witness) {
      if ((s & YIELDED) != 0) {
        return CompletableFuture.failedFuture(recordTwice());
      }
      if ((s & DONE) != 0) {
        return CompletableFuture.failedFuture(GeneratorOutcome.yieldedAfterCompleting(name));
      }
      witness = (int) STATE.compareAndExchange(this, s, s | YIELDED);
      if (witness == s) {
        break;
      }
    }
    BiConsumer<Object, Throwable> outcome = enterTo;
    if (outcome != null) {
      GeneratorOutcome.report(outcome, value, null); // the block runs here, and may exit here
    } else {
      CompletableFuture<T> stage = entered;
      if (!stage.complete(value)) {
        enterTakenOver(stage);
      }
    }
    return yield;
  }

  /**
   * The caller completed enter's stage before the method yielded. If it failed it (cancelled it,
   * say), the block will never run and exit will never be called: deliver that failure at the
   * yield now, as exit would, so the teardown runs. Nobody awaits that exit, so a failure of the
   * teardown other than the one delivered (or a cancellation) goes to the uncaught handler.
   */
  private void enterTakenOver(CompletableFuture<T> stage) {
    stage.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            exit(failure)
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

  private static void deliver(CompletableFuture<Void> yield, Throwable block) {
    if (block == null) {
      yield.complete(null);
    } else {
      yield.completeExceptionally(block);
    }
  }

  private IllegalStateException misplacedExit(int s) {
    return (s & EXITED) != 0
        ? GeneratorOutcome.exitedTwice(name)
        : GeneratorOutcome.exitBeforeEnter(name);
  }

  /**
   * The method's {@link AsyncYield}, which is also the stage its (first) yield returns and the
   * callback watching its stage: one object per cycle instead of three. It is internal: the
   * method sees it only as an {@code AsyncYield} and a {@code CompletionStage}.
   */
  private static final class Yielded<T> extends CompletableFuture<Void>
      implements AsyncYield<T>, BiConsumer<Object, Throwable> {
    private final AsyncGenerator<T> engine;

    Yielded(AsyncGenerator<T> engine) {
      this.engine = engine;
    }

    @Override
    public CompletionStage<Void> yield(T value) {
      return engine.onYield(this, value);
    }

    /** The method's stage completed. */
    @Override
    public void accept(Object ignored, Throwable failure) {
      engine.methodCompleted(failure);
    }
  }
}
