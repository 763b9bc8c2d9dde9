package dev.asyncwith;

import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
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
    String name = threadName(method);
    Thread thread;
    if (VIRTUAL != null) {
      thread = VIRTUAL.newThread(task);
      thread.setName(name);
    } else {
      thread = platformThread(task, name);
    }
    thread.start();
    return thread;
  }

  /**
   * The name of the threads of {@code method}: {@code PREFIX + method}, made once per method rather
   * than once per cycle (64 bytes a cycle otherwise). The methods are the generated classes'
   * constants, so the cache stays small; past {@link #MAX_NAMES} (names made at run time by
   * hand-written subclasses, say) names are made each time instead of growing it further.
   */
  static String threadName(String method) {
    String name = NAMES.get(method);
    if (name == null) {
      name = PREFIX + method;
      if (NAMES.size() < MAX_NAMES) {
        NAMES.putIfAbsent(method, name);
      }
    }
    return name;
  }

  /** Thread names by method; see {@link #threadName}. */
  private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();

  /** How many methods' thread names are kept at most. */
  static final int MAX_NAMES = 1024;

  /**
   * A daemon platform thread named {@code name}, so that a generator waiting at its yield for an
   * {@code exit} that never comes does not keep the JVM alive. (Named at construction: a thread
   * made without a name builds a default one first.)
   */
  static Thread platformThread(Runnable task, String name) {
    Thread thread = new Thread(null, task, name);
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
