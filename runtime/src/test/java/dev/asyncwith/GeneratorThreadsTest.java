package dev.asyncwith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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
    Thread thread = GeneratorThreads.platformThread(() -> {}, "asyncwith-Pools.lease");
    assertTrue(thread.isDaemon());
    assertFalse(Generators.isVirtual(thread));
    assertEquals("asyncwith-Pools.lease", thread.getName());
  }

  @Test
  void aMethodsThreadNameIsMadeOnceAndTheCacheStaysBounded() {
    assertSame(GeneratorThreads.threadName("Pools.lease"), GeneratorThreads.threadName("Pools.lease"));
    for (int i = 0; i < GeneratorThreads.MAX_NAMES + 10; i++) {
      assertEquals("asyncwith-m" + i, GeneratorThreads.threadName("m" + i));
    }
    String late = "made.past.the.bound";
    assertEquals("asyncwith-" + late, GeneratorThreads.threadName(late));
    assertNotSame(GeneratorThreads.threadName(late), GeneratorThreads.threadName(late),
        "past the bound a name is made each time, not cached");
  }
}
