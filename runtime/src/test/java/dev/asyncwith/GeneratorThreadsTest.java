package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which threads blocking generator methods run on. */
class GeneratorThreadsTest {

  @Test
  void virtualThreadsAreUsedExactlyWhenTheJdkHasThem() throws Exception {
    assertEquals(Generators.jdkHasVirtualThreads(), GeneratorThreads.virtual());

    CompletableFuture<Thread> ran = new CompletableFuture<>();
    Thread thread =
        GeneratorThreads.start("Pools.lease", () -> ran.complete(Thread.currentThread()));

    assertEquals(thread, Await.value(ran));
    assertEquals("asyncwith-Pools.lease", thread.getName());
    assertEquals(GeneratorThreads.virtual(), Generators.isVirtual(thread));
    assertTrue(thread.isDaemon(), "virtual threads are daemons too");
    Generators.assertEnds(thread);
  }

  @Test
  void platformThreadsAreDaemons() {
    Thread thread = GeneratorThreads.platformThread(() -> {});
    assertTrue(thread.isDaemon());
    assertFalse(Generators.isVirtual(thread));
  }
}
