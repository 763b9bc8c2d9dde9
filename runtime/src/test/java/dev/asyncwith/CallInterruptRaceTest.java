package dev.asyncwith;

import static dev.asyncwith.Generators.async;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * S3's one race: enter completing on another thread at the moment the waiting caller is
 * interrupted. Whichever wins, nothing acquired is left unreleased: either the block runs and the
 * resource is exited normally, or {@code call} throws {@link InterruptedException} and the
 * resource is exited once, with a {@link CancellationException}, and the block never runs.
 */
class CallInterruptRaceTest {
  private static final int ROUNDS = 500;

  @Test
  void aHandWrittenEnterRacingAnInterruptIsReleasedExactlyOnce() throws Exception {
    race(
        "hand-written",
        (entered, exits) ->
            new RecordingResource<>("r", "v")
                .onEnter(() -> entered)
                .onExit(
                    failure -> {
                      exits.add(failure == null ? RecordingResource.NORMAL : failure);
                      return CompletableFuture.completedFuture(false);
                    }));
  }

  @Test
  void aNonBlockingGeneratorYieldingLaterRacingAnInterruptIsReleasedExactlyOnce()
      throws Exception {
    race(
        "non-blocking generator",
        (entered, exits) ->
            async(
                "Race.lease",
                yield ->
                    entered.thenCompose(
                        value ->
                            yield
                                .yield(value)
                                .handle(
                                    (v, failure) -> {
                                      exits.add(failure == null ? RecordingResource.NORMAL : failure);
                                      return null;
                                    }))));
  }

  /** A resource whose enter completes when {@code entered} does, recording each exit. */
  @FunctionalInterface
  private interface Factory {
    AsyncResource<String> make(CompletableFuture<String> entered, List<Throwable> exits);
  }

  private static void race(String what, Factory factory) throws Exception {
    int interrupted = 0;
    int ran = 0;
    for (int round = 0; round < ROUNDS; round++) {
      CompletableFuture<String> entered = new CompletableFuture<>();
      List<Throwable> exits = new CopyOnWriteArrayList<>();
      AsyncResource<String> resource = factory.make(entered, exits);
      AtomicInteger blocks = new AtomicInteger();
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      CountDownLatch calling = new CountDownLatch(1);
      Thread caller =
          new Thread(
              () -> {
                calling.countDown();
                try {
                  resource.call(value -> blocks.incrementAndGet());
                } catch (Throwable t) {
                  thrown.set(t);
                }
              });
      caller.start();
      calling.await();
      Thread completer = new Thread(() -> entered.complete("v"));
      completer.start();
      caller.interrupt();
      caller.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
      completer.join(TimeUnit.SECONDS.toMillis(Await.SECONDS));
      Await.until(() -> !exits.isEmpty(), what + ": the exit of round " + round);
      assertEquals(1, exits.size(), () -> what + ": exits " + exits);
      if (thrown.get() instanceof InterruptedException) {
        interrupted++;
        assertEquals(0, blocks.get(), what + ": the block ran although call was interrupted");
        assertEquals(CancellationException.class, exits.get(0).getClass(), what);
      } else {
        assertEquals(null, thrown.get(), what);
        ran++;
        assertEquals(1, blocks.get(), what);
        assertEquals(RecordingResource.NORMAL, exits.get(0), what);
      }
    }
    // Both outcomes are valid (the race decides); what matters is one exit each, never a leak.
    assertEquals(ROUNDS, interrupted + ran);
  }
}
