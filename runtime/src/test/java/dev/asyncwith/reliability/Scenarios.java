package dev.asyncwith.reliability;

import dev.asyncwith.reliability.Outcome.Flavor;
import dev.asyncwith.reliability.Outcome.Kind;
import dev.asyncwith.reliability.Scenario.AsyncGen;
import dev.asyncwith.reliability.Scenario.Block;
import dev.asyncwith.reliability.Scenario.BlockingGen;
import dev.asyncwith.reliability.Scenario.Callback;
import dev.asyncwith.reliability.Scenario.EnterContext;
import dev.asyncwith.reliability.Scenario.Hand;
import dev.asyncwith.reliability.Scenario.Leaf;
import dev.asyncwith.reliability.Scenario.Push;
import dev.asyncwith.reliability.Scenario.ResourceSpec;
import dev.asyncwith.reliability.Scenario.Setup;
import dev.asyncwith.reliability.Scenario.Stack;
import dev.asyncwith.reliability.Scenario.StackEntry;
import dev.asyncwith.reliability.Scenario.Teardown;
import dev.asyncwith.reliability.Scenario.Use;
import dev.asyncwith.reliability.Scenario.With;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of {@link Scenario}s. Nodes are generated with id 0 and numbered afterwards
 * ({@link #number}), so that shrinking works on the shape and the labels stay unique.
 */
final class Scenarios {
  private Scenarios() {}

  /** Which kinds of resource a scenario may contain. */
  enum ResourceKind {
    HAND,
    ASYNC_GENERATOR,
    BLOCKING_GENERATOR
  }

  /** Flavors a generator method raises (a wrapped one would be a second failure in disguise). */
  private static final Flavor[] GENERATOR_FLAVORS = {
    Flavor.RUNTIME, Flavor.CHECKED, Flavor.ERROR, Flavor.BARE_COMPLETION, Flavor.UNSUPPRESSABLE
  };

  /** Any outcome. */
  static Arbitrary<Outcome> outcomes() {
    return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.of(Flavor.class))
        .as(Outcome::new);
  }

  /** A single statement {@code resource.use(value -> leaf)} over one resource of {@code kind}. */
  static Arbitrary<Block> single(ResourceKind kind) {
    return Combinators.combine(resources(EnumSet.of(kind), true), leaves())
        .as((resource, leaf) -> (Block) new Use(resource, leaf))
        .map(Scenarios::number);
  }

  /**
   * A statement of {@code use}, {@code AsyncWith.with} and {@code AsyncExitStack} nested up to
   * {@code depth} deep, over resources of the given kinds.
   */
  static Arbitrary<Block> compositions(int depth, Set<ResourceKind> kinds) {
    return statements(depth, kinds).map(Scenarios::number);
  }

  /** An exit stack with up to {@code maxEntries} entries around a leaf. */
  static Arbitrary<Block> exitStacks(int maxEntries, Set<ResourceKind> kinds) {
    return Combinators.combine(
            stackEntries(kinds).list().ofMaxSize(maxEntries), leaves())
        .as((entries, leaf) -> (Block) new Stack(entries, leaf))
        .map(Scenarios::number);
  }

  private static Arbitrary<Block> statements(int depth, Set<ResourceKind> kinds) {
    Arbitrary<Block> child =
        depth <= 1
            ? leaves()
            : Arbitraries.frequencyOf(
                Tuple.of(2, leaves()),
                Tuple.of(3, Arbitraries.lazy(() -> statements(depth - 1, kinds))));
    Arbitrary<Block> use =
        Combinators.combine(resources(kinds, true), child).as((r, c) -> (Block) new Use(r, c));
    Arbitrary<Block> with =
        Combinators.combine(resources(kinds, false).list().ofMinSize(2).ofMaxSize(3), child)
            .as((rs, c) -> (Block) new With(rs, c));
    Arbitrary<Block> stack =
        Combinators.combine(stackEntries(kinds).list().ofMaxSize(3), child)
            .as((es, c) -> (Block) new Stack(es, c));
    return Arbitraries.frequencyOf(Tuple.of(3, use), Tuple.of(2, with), Tuple.of(2, stack));
  }

  private static Arbitrary<Block> leaves() {
    return outcomes().map(outcome -> new Leaf(0, outcome));
  }

  static Arbitrary<StackEntry> stackEntries(Set<ResourceKind> kinds) {
    Arbitrary<StackEntry> context = resources(kinds, false).map(EnterContext::new);
    Arbitrary<StackEntry> push =
        Combinators.combine(outcomes(), exitValues()).as((o, v) -> new Push(0, o, v));
    Arbitrary<StackEntry> callback = outcomes().map(o -> new Callback(0, o));
    return Arbitraries.frequencyOf(Tuple.of(3, context), Tuple.of(2, push), Tuple.of(2, callback));
  }

  private static Arbitrary<Boolean> exitValues() {
    return Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.2);
  }

  /**
   * A resource of one of {@code kinds}. {@code allowEarly}: whether a non-blocking generator may
   * complete early, which is only certain to be observed where its block is the body of a
   * {@code use} (elsewhere a synchronous enter failure could end the block first).
   */
  static Arbitrary<ResourceSpec> resources(Set<ResourceKind> kinds, boolean allowEarly) {
    List<Arbitrary<ResourceSpec>> choices = new ArrayList<>();
    if (kinds.contains(ResourceKind.HAND)) {
      choices.add(
          Combinators.combine(outcomes(), outcomes(), exitValues())
              .as((enter, exit, value) -> new Hand(0, enter, exit, value)));
    }
    if (kinds.contains(ResourceKind.ASYNC_GENERATOR)) {
      Arbitrary<Setup> setups =
          Arbitraries.frequency(
              Tuple.of(4, Setup.YIELD),
              Tuple.of(2, Setup.YIELD_LATER),
              Tuple.of(1, Setup.NO_YIELD),
              Tuple.of(1, Setup.FAIL),
              Tuple.of(1, Setup.THROW),
              Tuple.of(1, Setup.RETURN_NULL));
      Arbitrary<Teardown> teardowns =
          allowEarly
              ? Arbitraries.of(Teardown.class)
              : Arbitraries.of(Teardown.class).filter(t -> t != Teardown.EARLY);
      choices.add(
          Combinators.combine(
                  setups, teardowns, Arbitraries.of(true, false), Arbitraries.of(GENERATOR_FLAVORS))
              .as((s, t, later, flavor) -> new AsyncGen(0, s, t, later, flavor)));
    }
    if (kinds.contains(ResourceKind.BLOCKING_GENERATOR)) {
      Arbitrary<Setup> setups =
          Arbitraries.frequency(
              Tuple.of(4, Setup.YIELD), Tuple.of(1, Setup.NO_YIELD), Tuple.of(1, Setup.FAIL));
      choices.add(
          Combinators.combine(
                  setups,
                  Arbitraries.of(Teardown.class).filter(t -> t != Teardown.EARLY),
                  Arbitraries.of(GENERATOR_FLAVORS))
              .as((s, t, flavor) -> new BlockingGen(0, s, t, flavor)));
    }
    return Arbitraries.oneOf(choices);
  }

  /** Gives every node of {@code block} a distinct id, in depth-first order. */
  static Block number(Block block) {
    return new Numbering().block(block);
  }

  /** The ids of every node of {@code block}. */
  static List<Integer> ids(Block block) {
    List<Integer> ids = new ArrayList<>();
    collectIds(block, ids);
    return ids;
  }

  private static void collectIds(Block block, List<Integer> ids) {
    if (block instanceof Leaf leaf) {
      ids.add(leaf.id());
    } else if (block instanceof Use use) {
      ids.add(use.resource().id());
      collectIds(use.child(), ids);
    } else if (block instanceof With with) {
      with.resources().forEach(r -> ids.add(r.id()));
      collectIds(with.child(), ids);
    } else {
      Stack stack = (Stack) block;
      for (StackEntry entry : stack.entries()) {
        if (entry instanceof EnterContext context) {
          ids.add(context.resource().id());
        } else if (entry instanceof Push push) {
          ids.add(push.id());
        } else {
          ids.add(((Callback) entry).id());
        }
      }
      collectIds(stack.child(), ids);
    }
  }

  /** Rebuilds a tree with fresh ids. */
  private static final class Numbering {
    private int next = 1;

    Block block(Block block) {
      if (block instanceof Leaf leaf) {
        return new Leaf(next++, leaf.outcome());
      }
      if (block instanceof Use use) {
        ResourceSpec resource = resource(use.resource());
        return new Use(resource, block(use.child()));
      }
      if (block instanceof With with) {
        List<ResourceSpec> resources =
            with.resources().stream().map(this::resource).collect(Collectors.toList());
        return new With(resources, block(with.child()));
      }
      Stack stack = (Stack) block;
      List<StackEntry> entries = new ArrayList<>();
      for (StackEntry entry : stack.entries()) {
        if (entry instanceof EnterContext context) {
          entries.add(new EnterContext(resource(context.resource())));
        } else if (entry instanceof Push push) {
          entries.add(new Push(next++, push.outcome(), push.value()));
        } else {
          entries.add(new Callback(next++, ((Callback) entry).outcome()));
        }
      }
      return new Stack(entries, block(stack.child()));
    }

    ResourceSpec resource(ResourceSpec spec) {
      int id = next++;
      if (spec instanceof Hand hand) {
        return new Hand(id, hand.enter(), hand.exit(), hand.exitValue());
      }
      if (spec instanceof AsyncGen gen) {
        return new AsyncGen(id, gen.setup(), gen.teardown(), gen.teardownLater(), gen.flavor());
      }
      BlockingGen gen = (BlockingGen) spec;
      return new BlockingGen(id, gen.setup(), gen.teardown(), gen.flavor());
    }
  }
}
