package dev.asyncwith.processor;

import com.palantir.javapoet.ClassName;
import java.util.Optional;

/**
 * The two styles of generator method, told apart by the yield parameter's type, with the runtime
 * types each style's generated class is built on.
 */
enum GeneratorStyle {
  /** Takes an {@code AsyncYield<T>}, returns a {@code CompletionStage}; never blocks. */
  NON_BLOCKING(
      ClassName.get(RuntimeTypes.PACKAGE, "AsyncYield"),
      ClassName.get(RuntimeTypes.PACKAGE, "AsyncGenerator")),

  /** Takes a {@code Yield<T>}, returns {@code void}; runs on a thread of its own. */
  BLOCKING(
      ClassName.get(RuntimeTypes.PACKAGE, "Yield"),
      ClassName.get(RuntimeTypes.PACKAGE, "BlockingGenerator"));

  private final ClassName yieldType;
  private final ClassName engineType;

  GeneratorStyle(ClassName yieldType, ClassName engineType) {
    this.yieldType = yieldType;
    this.engineType = engineType;
  }

  /**
   * The yield parameter's type, without its type argument.
   *
   * @return {@code dev.asyncwith.AsyncYield} or {@code dev.asyncwith.Yield}
   */
  ClassName yieldType() {
    return yieldType;
  }

  /**
   * The runtime engine the generated class extends.
   *
   * @return {@code dev.asyncwith.AsyncGenerator} or {@code dev.asyncwith.BlockingGenerator}
   */
  ClassName engineType() {
    return engineType;
  }

  /**
   * The style whose yield type has this qualified name.
   *
   * @param qualifiedName a type's qualified name
   * @return the style, or empty when the type is not a yield type
   */
  static Optional<GeneratorStyle> ofYieldType(CharSequence qualifiedName) {
    for (GeneratorStyle style : values()) {
      if (style.yieldType.canonicalName().contentEquals(qualifiedName)) {
        return Optional.of(style);
      }
    }
    return Optional.empty();
  }
}
