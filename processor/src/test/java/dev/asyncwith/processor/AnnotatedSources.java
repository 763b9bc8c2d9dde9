package dev.asyncwith.processor;

import dev.asyncwith.processor.AnnotatedSource.Bound;
import dev.asyncwith.processor.AnnotatedSource.Container;
import dev.asyncwith.processor.AnnotatedSource.Missing;
import dev.asyncwith.processor.AnnotatedSource.MethodKind;
import dev.asyncwith.processor.AnnotatedSource.NameOverride;
import dev.asyncwith.processor.AnnotatedSource.Parameter;
import dev.asyncwith.processor.AnnotatedSource.ParameterType;
import dev.asyncwith.processor.AnnotatedSource.Placement;
import dev.asyncwith.processor.AnnotatedSource.ReturnShape;
import dev.asyncwith.processor.AnnotatedSource.Style;
import dev.asyncwith.processor.AnnotatedSource.Visibility;
import dev.asyncwith.processor.AnnotatedSource.YieldArgument;
import dev.asyncwith.processor.AnnotatedSource.YieldShape;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators of {@link AnnotatedSource}s: well-formed ones, and anything at all. */
final class AnnotatedSources {
  private AnnotatedSources() {}

  /**
   * Names for the method's type variable, including ones that would hide a type the generated
   * code might name (the rules: generated names are never captured by the user's).
   */
  private static final String[] TYPE_VARIABLES = {
    "T", "R", "Y", "V", "String", "Object", "CompletionStage", "AsyncResource", "AsyncGenerator",
    "BlockingGenerator", "Override", "Generated"
  };

  /** Parameter names, including ones a generated class might use for its own members. */
  private static final String[] PARAMETER_NAMES = {
    "a", "value", "of", "delegate", "resource", "name", "args", "result", "failure", "generator",
    "self", "receiver", "instance", "target", "t", "$", "_x", "engine", "method", "stage"
  };

  private static final String[] METHOD_NAMES = {
    "open", "m", "lease2", "$tx", "_x", "\u00fcber", "record", "var", "of", "generate", "enter"
  };

  /** Sources that docs/RULES.md says the processor must accept, in every supported shape. */
  static Arbitrary<AnnotatedSource> wellFormed() {
    return build(
        Arbitraries.of(
            Container.TOP_CLASS, Container.TOP_INTERFACE, Container.TOP_ENUM,
            Container.TOP_RECORD, Container.STATIC_NESTED, Container.INNER,
            Container.GENERIC_CLASS),
        Arbitraries.of(MethodKind.STATIC, MethodKind.INSTANCE),
        Arbitraries.of(Visibility.PUBLIC, Visibility.PROTECTED, Visibility.PACKAGE),
        Arbitraries.of(ReturnShape.RIGHT, ReturnShape.RIGHT_WILDCARD, ReturnShape.RIGHT_SUBTYPE,
            ReturnShape.RIGHT_OTHER_VALUE),
        Arbitraries.just(YieldShape.ONE),
        Arbitraries.just(true),
        Arbitraries.of(NameOverride.NONE, NameOverride.VALID),
        Arbitraries.just(Placement.METHOD),
        Arbitraries.just(Missing.NONE),
        Arbitraries.just(false),
        Arbitraries.just(false));
  }

  /** Any source: mostly plausible, with every kind of malformation mixed in. */
  static Arbitrary<AnnotatedSource> anything() {
    return build(
        Arbitraries.of(Container.class),
        Arbitraries.frequency(
            Tuple.of(4, MethodKind.STATIC), Tuple.of(4, MethodKind.INSTANCE),
            Tuple.of(1, MethodKind.ABSTRACT)),
        Arbitraries.frequency(
            Tuple.of(3, Visibility.PUBLIC), Tuple.of(2, Visibility.PACKAGE),
            Tuple.of(1, Visibility.PROTECTED), Tuple.of(1, Visibility.PRIVATE)),
        Arbitraries.frequency(
            Tuple.of(3, ReturnShape.RIGHT), Tuple.of(1, ReturnShape.RIGHT_WILDCARD),
            Tuple.of(1, ReturnShape.RIGHT_SUBTYPE), Tuple.of(1, ReturnShape.RIGHT_OTHER_VALUE),
            Tuple.of(1, ReturnShape.WRONG_FOR_STYLE), Tuple.of(1, ReturnShape.INT)),
        Arbitraries.frequency(
            Tuple.of(6, YieldShape.ONE), Tuple.of(1, YieldShape.NONE), Tuple.of(1, YieldShape.TWO),
            Tuple.of(1, YieldShape.BOTH_KINDS), Tuple.of(1, YieldShape.WILDCARD),
            Tuple.of(1, YieldShape.RAW)),
        Arbitraries.frequency(Tuple.of(5, true), Tuple.of(1, false)),
        Arbitraries.frequency(
            Tuple.of(5, NameOverride.NONE), Tuple.of(2, NameOverride.VALID),
            Tuple.of(1, NameOverride.NOT_AN_IDENTIFIER), Tuple.of(1, NameOverride.KEYWORD),
            Tuple.of(1, NameOverride.QUALIFIED)),
        Arbitraries.frequency(
            Tuple.of(8, Placement.METHOD), Tuple.of(1, Placement.CLASS),
            Tuple.of(1, Placement.FIELD), Tuple.of(1, Placement.CONSTRUCTOR),
            Tuple.of(1, Placement.PARAMETER)),
        Arbitraries.frequency(
            Tuple.of(8, Missing.NONE), Tuple.of(1, Missing.PARAMETER),
            Tuple.of(1, Missing.YIELD_ARGUMENT), Tuple.of(1, Missing.RETURN_ARGUMENT)),
        Arbitraries.frequency(Tuple.of(8, false), Tuple.of(1, true)),
        Arbitraries.frequency(Tuple.of(8, false), Tuple.of(1, true)));
  }

  private static Arbitrary<AnnotatedSource> build(
      Arbitrary<Container> containers,
      Arbitrary<MethodKind> kinds,
      Arbitrary<Visibility> visibilities,
      Arbitrary<ReturnShape> returns,
      Arbitrary<YieldShape> yields,
      Arbitrary<Boolean> yieldUsed,
      Arbitrary<NameOverride> names,
      Arbitrary<Placement> placements,
      Arbitrary<Missing> missing,
      Arbitrary<Boolean> colliding,
      Arbitrary<Boolean> twins) {
    Arbitrary<Parameter> parameter =
        Combinators.combine(Arbitraries.of(ParameterType.class), Arbitraries.of(PARAMETER_NAMES))
            .as(Parameter::new);
    Arbitrary<List<Parameter>> parameters =
        parameter.list().ofMaxSize(4).uniqueElements(Parameter::name);
    List<Arbitrary<Object>> parts =
        List.of(
            containers.map(x -> x),
            Arbitraries.of(true, false).map(x -> x),
            kinds.map(x -> x),
            visibilities.map(x -> x),
            Arbitraries.of(Style.class).map(x -> x),
            returns.map(x -> x),
            yields.map(x -> x),
            Arbitraries.of(YieldArgument.class).map(x -> x),
            parameters.map(x -> x),
            Arbitraries.integers().between(0, 4).map(x -> x),
            Arbitraries.of(TYPE_VARIABLES).map(x -> x),
            Arbitraries.of(Bound.class).map(x -> x),
            yieldUsed.map(x -> x),
            Arbitraries.of(METHOD_NAMES).map(x -> x),
            names.map(x -> x),
            placements.map(x -> x),
            missing.map(x -> x),
            colliding.map(x -> x),
            twins.map(x -> x),
            Arbitraries.of(true, false).map(x -> x),
            Arbitraries.of(true, false).map(x -> x),
            Arbitraries.of(true, false).map(x -> x));
    return Combinators.combine(parts).as(AnnotatedSources::fromParts);
  }

  @SuppressWarnings("unchecked")
  private static AnnotatedSource fromParts(List<Object> p) {
    return new AnnotatedSource(
        (Container) p.get(0),
        (Boolean) p.get(1),
        (MethodKind) p.get(2),
        (Visibility) p.get(3),
        (Style) p.get(4),
        (ReturnShape) p.get(5),
        (YieldShape) p.get(6),
        (YieldArgument) p.get(7),
        (List<Parameter>) p.get(8),
        (Integer) p.get(9),
        (String) p.get(10),
        (Bound) p.get(11),
        (Boolean) p.get(12),
        (String) p.get(13),
        (NameOverride) p.get(14),
        (Placement) p.get(15),
        (Missing) p.get(16),
        (Boolean) p.get(17),
        (Boolean) p.get(18),
        (Boolean) p.get(19),
        (Boolean) p.get(20),
        (Boolean) p.get(21));
  }
}
