package com.example.modular;

import dev.asyncwith.AsyncResource;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs both generated managers from the module path and checks what it sees: the runtime as the
 * named module dev.asyncwith, and a blocking generator on a virtual thread exactly when the JDK
 * has them (the runtime finds them by reflection, from inside its module).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    String greeting =
        ResourcesGreeting.of("modules")
            .use(CompletableFuture::completedFuture)
            .get(10, TimeUnit.SECONDS);
    Thread generatorThread =
        ResourcesOwnThread.of().use(CompletableFuture::completedFuture).get(10, TimeUnit.SECONDS);
    Module runtime = AsyncResource.class.getModule();
    boolean virtual = isVirtual(generatorThread);
    boolean jdkHasVirtualThreads = Runtime.version().feature() >= 21;
    System.out.println("greeting: " + greeting);
    System.out.println("runtime module: " + runtime.getName());
    System.out.println("application module: " + Main.class.getModule().getName());
    System.out.println("generator thread virtual: " + virtual);
    if (!greeting.equals("hello modules")
        || !"dev.asyncwith".equals(runtime.getName())
        || !"com.example.modular".equals(Main.class.getModule().getName())
        || virtual != jdkHasVirtualThreads) {
      System.out.println("UNEXPECTED (JDK " + Runtime.version().feature() + ")");
      System.exit(1);
    }
  }

  private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
    if (Runtime.version().feature() < 21) {
      return false;
    }
    Method isVirtual = Thread.class.getMethod("isVirtual");
    return (Boolean) isVirtual.invoke(thread);
  }
}
