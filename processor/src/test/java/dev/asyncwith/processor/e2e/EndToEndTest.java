package dev.asyncwith.processor.e2e;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.AsyncResource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Runs the classes Maven's test-compile generated from {@link Managers} and {@link Scope} against
 * the real runtime engines, checking the generator rules of docs/RULES.md for both styles.
 */
class EndToEndTest {
  private final List<String> log = new CopyOnWriteArrayList<>();

  @Test
  void nonBlockingManagerRunsSetupBlockAndTeardownInOrder() throws Exception {
    CompletableFuture<Integer> result =
        ManagersLease.of(log, "db")
            .use(
                name -> {
                  log.add("block with " + name);
                  return CompletableFuture.completedFuture(name.length());
                });

    assertEquals(2, result.get(5, SECONDS));
    assertEquals(List.of("acquire db", "block with db", "release db"), log);
  }

  @Test
  void blockFailureReachesTheMethodAtTheYieldAndStands() {
    IllegalStateException boom = new IllegalStateException("boom");

    CompletableFuture<Object> result =
        ManagersLease.of(log, "db").use(name -> CompletableFuture.failedFuture(boom));

    Throwable failure = failureOf(result);
    assertSame(boom, failure);
    assertEquals(List.of("acquire db", "release db after boom"), log);
  }

  @Test
  void methodThatRecoversSuppressesTheBlockFailure() throws Exception {
    CompletableFuture<Object> result =
        ManagersSuppressing.of(log)
            .use(value -> CompletableFuture.failedFuture(new IllegalStateException("gone")));

    assertNull(result.get(5, SECONDS));
    assertEquals(List.of("suppressed gone"), log);
  }

  @Test
  void methodThatDoesNotYieldFailsEnter() {
    CompletableFuture<Object> result =
        ManagersMaybe.of(false).use(value -> CompletableFuture.completedFuture(value));

    Throwable failure = failureOf(result);
    assertIllegalState(failure, "did not yield");
  }

  @Test
  void instanceIsSingleUse() throws Exception {
    AsyncResource<String> manager = ManagersMaybe.of(true);
    assertEquals("yielded", manager.use(CompletableFuture::completedFuture).get(5, SECONDS));

    Throwable failure = failureOf(manager.enter().toCompletableFuture());
    assertTrue(failure instanceof IllegalStateException, failure.toString());
  }

  @Test
  void blockingManagerRunsOnItsOwnNamedThreadAndCommits() throws Exception {
    String value =
        ManagersTransaction.of(log).use(CompletableFuture::completedFuture).get(5, SECONDS);

    assertEquals("tx", value);
    assertEquals(2, log.size(), log.toString());
    assertTrue(log.get(0).toLowerCase(Locale.ROOT).contains("transaction"), log.get(0));
    assertEquals("commit", log.get(1));
  }

  @Test
  void blockingManagerSeesTheBlockFailureThrownAtTheYield() {
    IllegalStateException boom = new IllegalStateException("boom");

    CompletableFuture<Object> result =
        ManagersTransaction.of(log).use(value -> CompletableFuture.failedFuture(boom));

    Throwable failure = failureOf(result);
    assertSame(boom, failure);
    assertEquals("rollback after boom", log.get(log.size() - 1));
  }

  @Test
  void varargsManagerTakesItsArgumentsAsVarargs() throws Exception {
    List<String> names =
        AllOf.of("a", "b", "c").use(CompletableFuture::completedFuture).get(5, SECONDS);

    assertEquals(List.of("a", "b", "c"), names);
  }

  @Test
  void genericVarargsManagerHandsTheArrayToTheMethod() throws Exception {
    String first =
        FirstOf.of(List.of(1), List.of(2)).use(CompletableFuture::completedFuture).get(5, SECONDS);

    assertEquals("[1] of 2", first);
  }

  @Test
  void genericInstanceMethodTakesItsReceiverFirst() throws Exception {
    Scope<String> scope = new Scope<>("four", log);

    AsyncResource<Integer> manager = ScopeMapped.of(scope, String::length);
    Integer length = manager.use(CompletableFuture::completedFuture).get(5, SECONDS);

    assertEquals(4, length);
    assertEquals(List.of("closed"), log);
  }

  @Test
  void secondYieldFailsTheExit() {
    CompletableFuture<String> result = ManagersTwice.of().use(CompletableFuture::completedFuture);

    Throwable failure = failureOf(result);
    assertIllegalState(failure, "yielded twice");
  }

  @Test
  void blockingMethodThatRaisesAnotherFailureReplacesTheBlockFailure() {
    IllegalStateException boom = new IllegalStateException("boom");

    CompletableFuture<Object> result =
        ManagersReplacing.of().use(value -> CompletableFuture.failedFuture(boom));

    Throwable failure = failureOf(result);
    assertTrue(failure instanceof IllegalArgumentException, failure.toString());
    assertEquals("replaced", failure.getMessage());
    assertEquals(List.of(boom), List.of(failure.getSuppressed()));
  }

  @Test
  void blockingMethodThatDoesNotYieldFailsEnter() throws Exception {
    CompletableFuture<Object> result =
        ManagersSilent.of(false).use(value -> CompletableFuture.completedFuture(value));

    Throwable failure = failureOf(result);
    assertIllegalState(failure, "did not yield");
    assertEquals("yielded", ManagersSilent.of(true).use(CompletableFuture::completedFuture)
        .get(5, SECONDS));
  }

  /** The failure {@code result} completes with, waiting at most 5 seconds for it. */
  private static Throwable failureOf(Future<?> result) {
    return assertThrows(ExecutionException.class, () -> result.get(5, SECONDS)).getCause();
  }

  private static void assertIllegalState(Throwable failure, String messagePart) {
    assertTrue(failure instanceof IllegalStateException, failure.toString());
    assertTrue(failure.getMessage().contains(messagePart), failure.getMessage());
  }
}
