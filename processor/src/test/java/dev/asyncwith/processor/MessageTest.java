package dev.asyncwith.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every catalogue entry, formatted with exactly its own arguments, and with any other count. */
class MessageTest {
  @ParameterizedTest
  @EnumSource(Message.class)
  void formatsWithExactlyItsArgumentsEachAppearingInTheText(Message message) {
    Object[] arguments =
        IntStream.rangeClosed(1, message.arity()).mapToObj(i -> "<argument " + i + ">").toArray();

    String text = message.format(arguments);

    assertThat(text).startsWith(message.tag() + " ");
    assertThat(message.tag()).matches("\\[AsyncWith/[A-Za-z]+]");
    for (Object argument : arguments) {
      assertThat(text).contains(argument.toString());
    }
    assertThat(text).doesNotContain("%");
    if (message != Message.PROCESSOR_ERROR) {
      assertThat(text).startsWith(message.tag() + " @AsyncContextManager method <argument 1> ");
      assertThat(text).contains(" Fix: ");
    }
  }

  @ParameterizedTest
  @EnumSource(Message.class)
  void refusesAnyOtherNumberOfArguments(Message message) {
    Object[] tooFew = new Object[message.arity() - 1];
    Object[] tooMany = new Object[message.arity() + 1];

    assertThrows(IllegalArgumentException.class, () -> message.format(tooFew));
    assertThrows(IllegalArgumentException.class, () -> message.format(tooMany));
  }
}
