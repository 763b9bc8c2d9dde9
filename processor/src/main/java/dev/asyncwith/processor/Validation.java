package dev.asyncwith.processor;

import java.util.List;

/** The outcome of analysing one annotated method. */
sealed interface Validation {

  /**
   * The method passed every check.
   *
   * @param model what to generate
   */
  record Valid(ManagerModel model) implements Validation {}

  /** The method broke at least one rule; every problem has been reported. */
  record Invalid() implements Validation {}

  /**
   * The signature uses types that do not exist yet, perhaps because another processor generates
   * them this round: analyse the method again next round.
   *
   * @param missingTypes the missing types, as written
   */
  record Deferred(List<String> missingTypes) implements Validation {
    /**
     * Copies the list, so the analysis is immutable.
     *
     * @param missingTypes the missing types, as written
     */
    public Deferred {
      missingTypes = List.copyOf(missingTypes);
    }
  }
}
