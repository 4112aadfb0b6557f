package dev.racetrace.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.racetrace.sample.node.Operation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every class and member the agent configuration names exists with the shape the agent needs. */
class AgentConfigTest {
  @Test
  void theExactFlags() {
    assertThat(AgentConfig.systemProperties(Path.of("/tmp/out/spans"))).containsExactly(
        "-Dracetrace.include=dev.racetrace.sample.node",
        "-Dracetrace.out=/tmp/out/spans",
        "-Dracetrace.keys=dev.racetrace.sample.node.Operation#key",
        "-Dracetrace.ops=dev.racetrace.sample.node.LoadMetadata=load-metadata,"
            + "dev.racetrace.sample.node.Derive=derive,dev.racetrace.sample.node.Publish=publish,"
            + "dev.racetrace.sample.node.Compaction=compaction",
        "-Dracetrace.state=metadata.entities=dev.racetrace.sample.node.MetadataStore#entities,"
            + "metadata.updates=dev.racetrace.sample.node.MetadataStore#updates",
        "-Dracetrace.guards.flags=dev.racetrace.sample.node.Node#ready",
        "-Dracetrace.rules=load-metadata < derive < publish per key");
    assertThat(AgentConfig.environment("node-2")).containsExactlyInAnyOrderEntriesOf(Map.of(
        "OTEL_SERVICE_NAME", "sample-store",
        "OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=node-2"));
  }

  @Test
  void keyExtractorIsANoArgumentMethodReturningString() throws Exception {
    Method key = member(AgentConfig.KEYS, Method.class);
    assertThat(key.getDeclaringClass()).isEqualTo(Operation.class);
    assertThat(key.getParameterCount()).isZero();
    assertThat(key.getReturnType()).isEqualTo(String.class);
  }

  @Test
  void operationClassesImplementOperation() throws Exception {
    for (String cls : AgentConfig.OPS.keySet()) {
      assertThat(Operation.class.isAssignableFrom(Class.forName(cls))).as(cls).isTrue();
    }
  }

  @Test
  void stateProbesAreStaticNumericMethods() throws Exception {
    for (Map.Entry<String, String> e : AgentConfig.STATE.entrySet()) {
      Method m = member(e.getValue(), Method.class);
      assertThat(Modifier.isStatic(m.getModifiers())).as(e.getKey()).isTrue();
      assertThat(m.getParameterCount()).as(e.getKey()).isZero();
      assertThat(m.getReturnType()).as(e.getKey()).isEqualTo(long.class);
    }
  }

  @Test
  void readinessFlagIsAVolatileBooleanField() throws Exception {
    Field f = member(AgentConfig.FLAGS, Field.class);
    assertThat(f.getType()).isEqualTo(boolean.class);
    assertThat(Modifier.isVolatile(f.getModifiers())).isTrue();
  }

  private static <T> T member(String ref, Class<T> kind) throws Exception {
    String[] parts = ref.split("#");
    Class<?> c = Class.forName(parts[0]);
    Object m = kind == Field.class ? c.getDeclaredField(parts[1]) : c.getMethod(parts[1]);
    return kind.cast(m);
  }
}
