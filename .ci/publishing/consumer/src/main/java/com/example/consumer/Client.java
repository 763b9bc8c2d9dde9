package com.example.consumer;

import com.example.library.SessionsHeld;
import com.example.library.SessionsOpen;
import java.util.concurrent.CompletableFuture;

/**
 * Uses the library's generated classes with only the library and the runtime on the class path,
 * so javac reads their class files, and the marker annotation in them, under -Werror.
 */
public final class Client {
  private Client() {}

  /**
   * Runs both of the library's managers.
   *
   * @return what the blocks saw
   */
  public static CompletableFuture<String> run() {
    return SessionsOpen.of("ada")
        .use(session -> SessionsHeld.of("lock").use(held -> CompletableFuture.completedFuture(session + ", " + held)));
  }
}
