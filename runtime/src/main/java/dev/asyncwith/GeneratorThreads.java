package dev.asyncwith;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Starts the threads that blocking generator methods, and a task group's blocking children, run
 * on: virtual threads where the running JDK has them (21 and later), daemon platform threads
 * before. The runtime is compiled for Java
 * 17, so virtual threads are found once, at run time, through reflection.
 */
final class GeneratorThreads {
  private GeneratorThreads() {}

  /** Prefix of every generator thread's name; the method's name follows it. */
  static final String PREFIX = "asyncwith-";

  /** {@code Thread.ofVirtual().factory()}, or {@code null} where there are no virtual threads. */
  private static final ThreadFactory VIRTUAL = findVirtualThreadFactory();

  /** Whether generator threads are virtual threads on this JDK. */
  static boolean virtual() {
    return VIRTUAL != null;
  }

  /**
   * Starts {@code task} on a new generator thread.
   *
   * @param method the generator method, as {@code Enclosing.method}; the thread is named
   *     {@code asyncwith-Enclosing.method}
   * @return the started thread
   */
  static Thread start(String method, Runnable task) {
    Thread thread = VIRTUAL != null ? VIRTUAL.newThread(task) : platformThread(task);
    thread.setName(PREFIX + method);
    thread.start();
    return thread;
  }

  /**
   * A daemon platform thread, so that a generator waiting at its yield for an {@code exit} that
   * never comes does not keep the JVM alive.
   */
  static Thread platformThread(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    return thread;
  }

  private static ThreadFactory findVirtualThreadFactory() {
    try {
      Method ofVirtual = Thread.class.getMethod("ofVirtual");
      Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
      return (ThreadFactory) factory.invoke(ofVirtual.invoke(null));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError absent) {
      // JDK 17 to 20 (on 19 and 20 virtual threads are a preview that is usually disabled).
      return null;
    }
  }
}
