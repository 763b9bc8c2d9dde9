package dev.asyncwith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class that the asyncwith processor generated from an {@code @AsyncContextManager}
 * method. It has {@code CLASS} retention and a name containing {@code Generated}, so coverage
 * tools such as JaCoCo leave generated code out of their reports.
 *
 * <p>It lives in the runtime, not with {@code @AsyncContextManager} in the annotations module,
 * because it stays in the generated class files: whoever compiles against a library containing
 * generated classes has the runtime (the generated classes extend its types) but usually not the
 * annotations, which a library declares {@code provided}. Were the marker's class file missing
 * there, javac would warn ({@code [classfile]}) on every such compile, and fail one that runs with
 * {@code -Werror}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AsyncWithGenerated {

  /**
   * The method the class was generated from, as {@code EnclosingType.method}.
   *
   * @return the source method
   */
  String from();
}
