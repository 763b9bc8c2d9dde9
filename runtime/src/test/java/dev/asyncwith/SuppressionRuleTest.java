package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Rule 4: exit completing true suppresses a block failure; false or null lets it stand. */
class SuppressionRuleTest {

  private final Exception failure = new Exception("block failed");

  @Test
  void trueSuppressesTheFailureAndTheResultIsNull() {
    RecordingResource<String> resource = RecordingResource.named("r").exitReturns(true);
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.failedFuture(failure));
    assertNull(Await.value(result));
    assertSame(failure, resource.exitFailure());
  }

  @Test
  void trueArrivingLaterSuppressesToo() {
    RecordingResource<String> resource = RecordingResource.named("r").pendingExit();
    CompletableFuture<String> result = resource.use(v -> CompletableFuture.failedFuture(failure));
    Await.pending(result);
    resource.exitStage.complete(true);
    assertNull(Await.value(result));
  }

  @Test
  void falseLetsTheFailureStand() {
    RecordingResource<String> resource = RecordingResource.named("r").exitReturns(false);
    assertSame(failure, Await.failure(resource.use(v -> CompletableFuture.failedFuture(failure))));
  }

  @Test
  void aNullBooleanLetsTheFailureStand() {
    RecordingResource<String> resource = RecordingResource.named("r").exitReturns(null);
    assertSame(failure, Await.failure(resource.use(v -> CompletableFuture.failedFuture(failure))));
  }

  @Test
  void trueAfterANormalBlockChangesNothing() {
    RecordingResource<String> resource = RecordingResource.named("r").exitReturns(true);
    assertEquals("value", Await.value(resource.use(v -> CompletableFuture.completedFuture("value"))));
  }

  @Test
  void aNullBooleanAfterANormalBlockChangesNothing() {
    RecordingResource<String> resource = RecordingResource.named("r").exitReturns(null);
    assertEquals("value", Await.value(resource.use(v -> CompletableFuture.completedFuture("value"))));
  }
}
