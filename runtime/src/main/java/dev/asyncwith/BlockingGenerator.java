package dev.asyncwith;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine behind a generated blocking manager: the base class of each class the asyncwith
 * processor generates from a {@code void} method that takes a {@link Yield}. The method reads like
 * a Python {@code @contextmanager} generator (setup, {@code yield}, teardown) and may block
 * freely: through {@link #call} it runs on the calling thread, otherwise on a thread of its own.
 *
 * <p>A generated subclass only stores the method's arguments and calls the method from
 * {@link #generate(Yield)}:
 * <pre>{@code
 * public final class TransactionsOpen extends BlockingGenerator<Connection> {
 *   private final DataSource db;
 *   private TransactionsOpen(DataSource db) { super("Transactions.open"); this.db = db; }
 *   public static TransactionsOpen of(DataSource db) { return new TransactionsOpen(db); }
 *   @Override protected void generate(Yield<Connection> yield) throws Exception {
 *     Transactions.open(this.db, yield);
 *   }
 * }
 * }</pre>
 *
 * <p><b>On the calling thread.</b> {@link #call} runs the method on the thread that calls it, with
 * the block inside the yield: no thread, no hand-off, no waiting, the cheapest way to use a
 * blocking manager from code that may block (a virtual thread, a request thread, a worker).
 *
 * <p><b>Threads.</b> {@link #enter()} starts the method on a new thread: a virtual thread on JDK
 * 21 and later, a daemon platform thread on JDK 17 to 20, named {@code asyncwith-} followed by the
 * method ({@code asyncwith-Transactions.open}). The thread that yields completes {@code enter}'s
 * stage, so a block attached to that stage before the method yields runs on the generator's
 * thread, as setup and teardown do (a JDBC connection or a lock stays on one thread). Inside
 * {@link #use}, {@link AsyncWith} and the timeout, the block always starts there, inside the
 * yield call, however fast the setup is. {@link Yield#yield} then waits
 * until {@link #exit(Throwable)} delivers the block's outcome; when the block completed inside
 * the yield call and {@code exit} was called there, on the same thread, the yield returns at once,
 * without a hand-off. The thread ends right after completing {@code exit}'s stage, or {@code
 * enter}'s when the method failed or did not yield. (On JDK 21 to 23, a virtual thread that waits
 * inside a {@code synchronized} block keeps its carrier thread busy: around the yield, prefer a
 * {@link java.util.concurrent.locks.Lock}.)
 *
 * <p><b>The rules</b> are those of {@link AsyncGenerator}, in blocking form:
 * <ul>
 *   <li>The method returning without yielding fails {@code enter} with an {@link
 *       IllegalStateException} "... did not yield"; throwing before it yields fails {@code enter}
 *       with that failure.
 *   <li>{@code yield} returns when the block completed normally and throws the block's failure
 *       itself, the very object, when it failed: an {@link Exception} or an {@link Error} as it
 *       is, and also a {@link Throwable} that is neither (thrown although {@code yield} does not
 *       declare it, because wrapping it would break the identity that decides suppression).
 *   <li>The method returning normally after a failed block suppresses it ({@code exit}
 *       completes {@code true}); throwing that same failure lets it stand ({@code false});
 *       throwing another replaces it ({@code exit} fails with that one). After a block that
 *       completed normally, {@code exit} completes {@code false}, or fails if the method throws.
 *   <li>A second {@code yield} throws an {@link IllegalStateException} "... yielded twice", and
 *       {@code exit} fails with it even if the method caught it (a different failure thrown
 *       instead wins, with it attached).
 *   <li>An instance is single-use, as for {@link AsyncGenerator}; every failure, a misuse
 *       included, is reported as a failed stage, never thrown.
 * </ul>
 *
 * <p><b>Cancellation and interrupts.</b> The engine never interrupts the generator's thread. A
 * cancelled block reaches the method as the block's failure, a {@link
 * java.util.concurrent.CancellationException} thrown by {@code yield}, so teardown always runs,
 * uninterrupted. If the caller completes {@code enter}'s stage itself (cancels it, say) before the
 * method yields, the block will never run: {@code yield} throws that failure at once, the teardown
 * runs, and a teardown failure other than a cancellation goes to the generator thread's
 * uncaught-exception handler. {@code yield} waits without reacting to interrupts; one received
 * while waiting is restored when it returns or throws, as Java's uninterruptible waits do.
 *
 * <p><b>An abandoned instance.</b> Once {@code enter} has completed, {@code exit} must be called
 * (as {@code use}, {@code AsyncWith} and {@code AsyncExitStack} always do). Until then the method
 * stays suspended at its yield, holding what it acquired, and its thread waits, parked: like a
 * Python generator suspended at its {@code yield} until it is closed. The thread is virtual or a
 * daemon, so it never keeps the JVM from exiting. An instance that is never entered starts no
 * thread.
 *
 * @param <T> the type of the value the method yields
 */
public abstract class BlockingGenerator<T> extends GeneratorEngine<T>
    implements AsyncResource<T> {

  /*
   * The state word and what both engines share are in GeneratorEngine. Per cycle: the instance,
   * enter's stage, exit's stage, one Run (the method's yield and its thread's task) and the
   * thread. Driven by the statement through enterTo/exitTo, there is no stage for enter or exit,
   * and the block always starts on the generator's thread, inside the yield call.
   */
  /*
   * Through call, there is no thread and no stage: call claims the instance (CALLED), runs the
   * method on the calling thread, and the yield runs the block in place; enterSink keeps the block
   * and exitSink its value (GeneratorEngine.enterInPlace). Per cycle: the instance and one Run.
   */
  private static final int CALLED = FIRST_ENGINE_BIT;

  private static final VarHandle WAITER;

  static {
    try {
      WAITER =
          MethodHandles.lookup().findVarHandle(BlockingGenerator.class, "waiter", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile Thread waiter; // the thread parked at the yield; through call, the caller

  /**
   * Creates the engine for one use.
   *
   * @param name the source method as {@code Enclosing.method}, used in failure messages and in
   *     the generator thread's name
   * @throws NullPointerException if {@code name} is {@code null}
   */
  protected BlockingGenerator(String name) {
    super(name);
  }

  /**
   * Calls the generator method with {@code yield}, on the generator's thread. Called at most
   * once, when the instance is entered.
   *
   * @param yield the yield the method must call exactly once
   * @throws Throwable whatever the method throws: its failure
   */
  protected abstract void generate(Yield<T> yield) throws Throwable;

  /**
   * Starts the method on its own thread and runs it up to its yield: Python's {@code
   * __aenter__}.
   *
   * @return a stage that completes with the value the method yields, on the generator's thread;
   *     or fails with the method's failure, with an {@link IllegalStateException} if the method
   *     returned without yielding, or if this instance was already entered
   */
  @Override
  public final CompletionStage<T> enter() {
    return enterWithStage();
  }

  @Override
  final void start() {
    try {
      GeneratorThreads.start(name, new Run<>(this));
    } catch (Throwable cannotStart) { // OutOfMemoryError: unable to create a native thread
      methodCompleted(cannotStart);
    }
  }

  /**
   * Delivers the block's outcome at the method's yield, where it resumes, and reports how the
   * method took it: Python's {@code __aexit__}.
   *
   * @param failure the block's failure (unwrapped from {@link java.util.concurrent
   *     .CompletionException} here too), or {@code null} when the block completed normally
   * @return a stage that completes, on the generator's thread, once the method has returned or
   *     thrown: {@code true} when it caught {@code failure} and returned, {@code false} when it
   *     let the block's outcome stand; or fails with the method's own different failure, with an
   *     {@link IllegalStateException} when it yielded twice, or returned while a yield it made
   *     from another thread still waited, or when this instance was not entered or was already
   *     exited
   */
  @Override
  public final CompletionStage<Boolean> exit(Throwable failure) {
    return exitWithStage(failure);
  }

  /**
   * Runs {@code block} inside this manager on the calling thread: Python's {@code with}. The
   * method runs right here, on this thread: setup, then {@link Yield#yield} runs the block in place
   * and returns when it returns (or throws its failure, as it is), then teardown. No thread is
   * started and nothing is handed off, so setup, block and teardown share the thread (its
   * ThreadLocals, the locks it holds, a JDBC connection bound to it), and nothing ever waits. Every
   * generator rule holds as through {@link #use}: the method completing without yielding, a second
   * yield, suppression by returning normally, replacement by another failure. A yield made on
   * another thread throws an {@link IllegalStateException} there, since the block must run on the
   * calling thread.
   *
   * @param block the block
   * @param <R> the type of the block's value
   * @return the block's value, or {@code null} when the method caught the block's failure and
   *     returned (suppressing it)
   * @throws Exception the failure that stands, as it is: the method's before it yielded, the
   *     block's, or the method's own that replaced it (with the block's attached); an {@link
   *     IllegalStateException} when the method did not yield, yielded twice, or this instance was
   *     already entered
   * @throws NullPointerException if {@code block} is {@code null}, before the method runs
   */
  @Override
  public final <R> R call(Block<? super T, ? extends R> block) throws Exception {
    if (block == null) {
      throw new NullPointerException("block");
    }
    if (!enterInPlace(block, CALLED)) {
      throw GeneratorOutcome.enteredTwice(name);
    }
    WAITER.setRelease(this, Thread.currentThread()); // read only by this thread, or to tell it apart
    Throwable thrown = null;
    try {
      generate(new Run<>(this));
    } catch (Throwable failure) {
      thrown = failure;
    }
    Throwable method = thrown == null ? null : Failures.unwrap(thrown);
    if (!methodEndedInPlace()) {
      // The block never ran: as a failed enter (rule 1), nothing to exit.
      return CallStatement.conclude(
          null, null, null, method != null ? method : GeneratorOutcome.didNotYield(name));
    }
    Throwable blockFailure = blockFailure();
    Object decision = decide(blockFailure, method, false);
    return decision instanceof Throwable
        ? CallStatement.conclude(null, blockFailure, null, (Throwable) decision)
        : CallStatement.conclude(valueInPlace(), blockFailure, decision, null);
  }

  /** The method yielded inside {@link #call}: the block runs here, on the calling thread. */
  private void yieldInPlace(T value) throws Exception {
    Thread caller = waiter;
    IllegalStateException misplaced;
    if (Thread.currentThread() == caller) {
      misplaced = markYieldedInPlace();
    } else if ((state() & YIELDED) == 0) {
      throw GeneratorOutcome.yieldedOffThread(name, caller); // the block must run on the caller
    } else {
      misplaced = markYielded(); // a second yield, from another thread: it writes no state
    }
    if (misplaced != null) {
      throw misplaced;
    }
    @SuppressWarnings("unchecked") // call kept its Block<? super T, ?>
    Block<? super T, ?> block = (Block<? super T, ?>) blockInPlace();
    Object result = null;
    Throwable failure = null;
    try {
      result = block.apply(value);
    } catch (Throwable thrown) {
      failure = Failures.unwrap(thrown);
    }
    blockEndedInPlace(result, failure);
    if (failure != null) {
      throw CallStatement.<Exception>asThrown(failure);
    }
  }

  /** Publishes the block's outcome and wakes the yield that waits for it. */
  @Override
  final Object deliver(int claimed, Throwable block, Outcome outcome) {
    int before = publishExit(block, outcome, false);
    Thread parked = waiter;
    if (parked != Thread.currentThread()) {
      LockSupport.unpark(parked); // no-op for null: the yield then sees DELIVERED before parking
    }
    // Done already: the method yielded from another thread, did not wait, and returned.
    return decisionIfDone(before, block, false);
  }

  /** Runs on the generator's thread. */
  private void run(Run<T> yield) {
    Throwable failure = null;
    try {
      generate(yield);
    } catch (Throwable thrown) {
      failure = thrown;
    }
    methodCompleted(failure);
  }

  /** The method called {@code yield}. */
  private void onYield(T value) throws Exception {
    if ((state() & CALLED) != 0) {
      yieldInPlace(value);
      return;
    }
    IllegalStateException misplaced = markYielded();
    if (misplaced != null) {
      throw misplaced;
    }
    Thread current = Thread.currentThread();
    waiter = current;
    handOff(value); // the block starts here, on this thread
    boolean interrupted = false;
    while ((stateVolatile() & DELIVERED) == 0) {
      LockSupport.park(this);
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      current.interrupt();
    }
    Throwable block = blockFailure();
    if (block != null) {
      throw CallStatement.<Exception>asThrown(block); // as it is: an Error or a bare Throwable too
    }
  }

  /** The method's {@link Yield} and its thread's task, in one internal object. */
  private static final class Run<T> implements Yield<T>, Runnable {
    private final BlockingGenerator<T> engine;

    Run(BlockingGenerator<T> engine) {
      this.engine = engine;
    }

    @Override
    public void yield(T value) throws Exception {
      engine.onYield(value);
    }

    @Override
    public void run() {
      engine.run(this);
    }
  }
}
