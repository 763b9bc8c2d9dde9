package com.example.single;

import dev.asyncwith.AsyncYield;
import dev.asyncwith.annotations.AsyncContextManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** One manager, compiled with nothing but the processor jar on the processor path. */
public final class Tickets {
  private Tickets() {}

  /**
   * Hands out a ticket numbered {@code number}.
   *
   * @param number the ticket's number
   * @param yield where the ticket goes to the block
   * @return completes once the block has finished
   */
  @AsyncContextManager
  public static CompletionStage<Void> ticket(int number, AsyncYield<String> yield) {
    return yield.yield("ticket " + number).thenApply(ignored -> null);
  }

  /**
   * Uses the generated class, so that the check sees it compile and run.
   *
   * @param args unused
   * @throws Exception if the block fails
   */
  public static void main(String[] args) throws Exception {
    String seen =
        TicketsTicket.of(7).use(CompletableFuture::completedFuture).get(10, TimeUnit.SECONDS);
    System.out.println("used " + seen);
  }
}
