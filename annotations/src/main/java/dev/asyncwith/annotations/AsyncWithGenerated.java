package dev.asyncwith.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class that the asyncwith processor generated from an {@link AsyncContextManager}
 * method. It has {@code CLASS} retention and a name containing {@code Generated}, so coverage
 * tools such as JaCoCo leave generated code out of their reports.
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
