package dev.asyncwith.processor;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.Set;
import javax.annotation.processing.Processor;
import javax.lang.model.SourceVersion;
import org.junit.jupiter.api.Test;

/** How build tools find and classify the processor. */
class RegistrationTest {

  @Test
  void isRegisteredAsAServiceForJavac() {
    assertThat(
            ServiceLoader.load(Processor.class).stream()
                .map(provider -> provider.type().getName())
                .toList())
        .contains(AsyncContextManagerProcessor.class.getName());
  }

  @Test
  void isDeclaredIsolatingForGradleIncrementalBuilds() throws IOException {
    try (InputStream in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("META-INF/gradle/incremental.annotation.processors")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
          .isEqualTo(AsyncContextManagerProcessor.class.getName() + ",isolating");
    }
  }

  @Test
  void supportsTheLatestSourceVersionAndClaimsOnlyItsAnnotation() {
    AsyncContextManagerProcessor processor = new AsyncContextManagerProcessor();
    assertThat(processor.getSupportedSourceVersion()).isEqualTo(SourceVersion.latestSupported());
    assertThat(processor.getSupportedAnnotationTypes())
        .isEqualTo(Set.of("dev.asyncwith.annotations.AsyncContextManager"));
  }
}
