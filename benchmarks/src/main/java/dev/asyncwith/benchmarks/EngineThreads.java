package dev.asyncwith.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * The kind of thread the blocking engine uses, for the hand-written baseline that is held against
 * it: a virtual thread where the JDK has them (21+, found at run time since this module compiles
 * for release 17), a daemon platform thread before.
 */
final class EngineThreads {
  private static final ThreadFactory FACTORY = pickFactory();

  private EngineThreads() {}

  /**
   * Starts {@code task} on a new thread of the engine's kind.
   *
   * @param task what the thread runs
   */
  static void start(Runnable task) {
    FACTORY.newThread(task).start();
  }

  /**
   * Names the kind of thread in use, for reports.
   *
   * @return {@code "virtual"} or {@code "platform"}
   */
  static String kind() {
    return FACTORY instanceof PlatformDaemons ? "platform" : "virtual";
  }

  private static ThreadFactory pickFactory() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      MethodHandle newBuilder =
          lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
      MethodHandle factory =
          lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
      return (ThreadFactory) factory.invoke(newBuilder.invoke());
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      return new PlatformDaemons();
    } catch (Throwable e) {
      throw new IllegalStateException("cannot make virtual threads", e);
    }
  }

  /** Daemon platform threads, as the blocking engine uses on JDK 17. */
  private static final class PlatformDaemons implements ThreadFactory {
    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "hand-off");
      thread.setDaemon(true);
      return thread;
    }
  }
}
