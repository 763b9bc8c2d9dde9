package dev.asyncwith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A resource for tests that records every call: how often {@code enter} and {@code exit} ran, on
 * which thread, with which failure, in a log it may share with other resources to check order.
 * What {@code enter} and {@code exit} do is set per test; by default enter completes at once with
 * the value and exit completes {@code false} at once.
 */
final class RecordingResource<T> implements AsyncResource<T> {

  /** A log shared by several resources, to check the order of calls. */
  static List<String> newLog() {
    return Collections.synchronizedList(new ArrayList<>());
  }

  final String name;
  private final List<String> log;
  private volatile Supplier<? extends CompletionStage<T>> onEnter;
  private volatile Function<Throwable, ? extends CompletionStage<Boolean>> onExit;

  final AtomicInteger enters = new AtomicInteger();
  final AtomicInteger exits = new AtomicInteger();
  /** The failures exit was given, in order (a null is recorded as the NORMAL marker). */
  final List<Throwable> exitFailures = new CopyOnWriteArrayList<>();
  volatile Thread enterThread;
  volatile Thread exitThread;
  /** The stage the last enter returned, when it was made by {@link #pendingEnter()}. */
  volatile CompletableFuture<T> enterStage;
  /** The stage the last exit returned, when it was made by {@link #pendingExit()}. */
  volatile CompletableFuture<Boolean> exitStage;

  /** Marks a normal block in {@link #exitFailures}. */
  static final Throwable NORMAL = new Throwable("no failure") {
    private static final long serialVersionUID = 1L;
  };

  RecordingResource(String name, T value, List<String> log) {
    this.name = name;
    this.log = log;
    this.onEnter = () -> CompletableFuture.completedFuture(value);
    this.onExit = failure -> CompletableFuture.completedFuture(false);
  }

  RecordingResource(String name, T value) {
    this(name, value, newLog());
  }

  static RecordingResource<String> named(String name) {
    return new RecordingResource<>(name, name + "-value");
  }

  RecordingResource<T> onEnter(Supplier<? extends CompletionStage<T>> enter) {
    this.onEnter = enter;
    return this;
  }

  RecordingResource<T> onExit(Function<Throwable, ? extends CompletionStage<Boolean>> exit) {
    this.onExit = exit;
    return this;
  }

  /** Enter returns a pending stage, kept in {@link #enterStage}, that the test completes. */
  RecordingResource<T> pendingEnter() {
    return onEnter(
        () -> {
          CompletableFuture<T> stage = new CompletableFuture<>();
          enterStage = stage;
          return stage;
        });
  }

  /** Exit returns a pending stage, kept in {@link #exitStage}, that the test completes. */
  RecordingResource<T> pendingExit() {
    return onExit(
        failure -> {
          CompletableFuture<Boolean> stage = new CompletableFuture<>();
          exitStage = stage;
          return stage;
        });
  }

  /** Exit completes with {@code suppress} at once. */
  RecordingResource<T> exitReturns(Boolean suppress) {
    return onExit(failure -> CompletableFuture.completedFuture(suppress));
  }

  /** Exit's stage fails with {@code failure} at once. */
  RecordingResource<T> exitFails(Throwable failure) {
    return onExit(ignored -> CompletableFuture.failedFuture(failure));
  }

  /** Enter's stage fails with {@code failure} at once. */
  RecordingResource<T> enterFails(Throwable failure) {
    return onEnter(() -> CompletableFuture.failedFuture(failure));
  }

  @Override
  public CompletionStage<T> enter() {
    enters.incrementAndGet();
    enterThread = Thread.currentThread();
    log.add(name + ".enter");
    return onEnter.get();
  }

  @Override
  public CompletionStage<Boolean> exit(Throwable failure) {
    exits.incrementAndGet();
    exitThread = Thread.currentThread();
    exitFailures.add(failure == null ? NORMAL : failure);
    log.add(name + ".exit(" + (failure == null ? "null" : failure.getClass().getSimpleName()) + ")");
    return onExit.apply(failure);
  }

  /** The failure the only exit call was given ({@code null} for a normal block). */
  Throwable exitFailure() {
    if (exitFailures.size() != 1) {
      throw new AssertionError(name + ": exit called " + exitFailures.size() + " times");
    }
    Throwable failure = exitFailures.get(0);
    return failure == NORMAL ? null : failure;
  }

  List<String> log() {
    return log;
  }

  @Override
  public String toString() {
    return "RecordingResource(" + name + ")";
  }
}
