package dev.asyncwith.reliability;

import dev.asyncwith.AsyncResource;
import dev.asyncwith.reliability.Scenario.Hand;
import java.util.concurrent.CompletionStage;

/**
 * A hand-written {@link AsyncResource} whose {@code enter} and {@code exit} do what a {@link
 * Hand} spec says, recording every call in a {@link RunRecord}.
 */
final class ScriptedResource implements AsyncResource<String> {
  private final Hand spec;
  private final RunRecord run;

  ScriptedResource(Hand spec, RunRecord run) {
    this.spec = spec;
    this.run = run;
  }

  /** The value {@code enter} completes with. */
  static String valueOf(int id) {
    return "value-" + id;
  }

  @Override
  public CompletionStage<String> enter() {
    run.event("enter:" + spec.id());
    run.entered(spec.id());
    return Steps.perform(spec.enter(), "enter-" + spec.id(), valueOf(spec.id()), run);
  }

  @Override
  public CompletionStage<Boolean> exit(Throwable failure) {
    run.event("exit:" + spec.id());
    run.tornDown(spec.id(), failure);
    return Steps.perform(spec.exit(), "exit-" + spec.id(), spec.exitValue(), run);
  }

  @Override
  public String toString() {
    return "ScriptedResource#" + spec.id();
  }
}
