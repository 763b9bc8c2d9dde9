package dev.asyncwith.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncwith.reliability.Scenario.Block;
import dev.asyncwith.reliability.Scenarios.ResourceKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The synchronous statement against the same {@link ReferenceModel} as {@code use}: each random
 * scenario runs twice, once through {@code use} / {@code AsyncWith.with} / {@code
 * AsyncExitStack.use} and once through {@code call} / {@code AsyncWith.call} / {@code
 * AsyncExitStack.call} with {@code enterContextAndWait}, and both runs must match the model (the
 * same result, failure identities and attachments, order of enters, blocks and exits, and
 * teardown counts), hence each other. S1 (the block on the calling thread) and S2 (no wrapper
 * thrown) are checked on every call run.
 */
class CallPropertiesTest {

  @Property
  void handWrittenResourcesAgree(@ForAll("handWritten") Block scenario) {
    assertBothAgreeWithTheModel(scenario);
  }

  @Property
  void nonBlockingGeneratorsAgree(@ForAll("nonBlocking") Block scenario) {
    assertBothAgreeWithTheModel(scenario);
  }

  @Property
  void blockingGeneratorsAgree(@ForAll("blocking") Block scenario) {
    assertBothAgreeWithTheModel(scenario);
  }

  @Property
  void exitStacksAgree(@ForAll("exitStacks") Block scenario) {
    assertBothAgreeWithTheModel(scenario);
  }

  @Property
  void compositionsOfRandomDepthAgree(@ForAll("compositions") Block scenario) {
    assertBothAgreeWithTheModel(scenario);
  }

  @Provide
  Arbitrary<Block> handWritten() {
    return callable(Scenarios.single(ResourceKind.HAND));
  }

  @Provide
  Arbitrary<Block> nonBlocking() {
    return callable(Scenarios.single(ResourceKind.ASYNC_GENERATOR));
  }

  @Provide
  Arbitrary<Block> blocking() {
    return callable(Scenarios.single(ResourceKind.BLOCKING_GENERATOR));
  }

  @Provide
  Arbitrary<Block> exitStacks() {
    return callable(Scenarios.exitStacks(6, EnumSet.allOf(ResourceKind.class)));
  }

  @Provide
  Arbitrary<Block> compositions() {
    return callable(Scenarios.compositions(4, EnumSet.allOf(ResourceKind.class)));
  }

  private static Arbitrary<Block> callable(Arbitrary<Block> scenarios) {
    return scenarios.filter(CallScenarioRunner::runsThroughCall);
  }

  @AfterContainer
  static void noLibraryThreadOutlivesTheProperties() throws InterruptedException {
    Set<String> lingering = LibraryThreads.lingering(5_000);
    assertTrue(lingering.isEmpty(), () -> "threads left behind: " + lingering);
  }

  private static void assertBothAgreeWithTheModel(Block scenario) {
    List<String> problems = new ArrayList<>();
    ScenarioCheck.problems(scenario, false).forEach(p -> problems.add("use: " + p));
    ScenarioCheck.problems(scenario, true).forEach(p -> problems.add("call: " + p));
    assertEquals(List.of(), problems, () -> scenario + "\n  " + String.join("\n  ", problems));
  }
}
