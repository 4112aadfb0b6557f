package dev.racetrace.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/** Every hook the table names exists with the descriptor the rewriter calls it with. */
class HookTableTest {

  @Test
  void everySpecNamesAPublicStaticHookWithItsDescriptor() throws Exception {
    for (HookSpec spec : HookTable.INSTANCE.all()) {
      Class<?> hooks = Class.forName(spec.hookClass.replace('/', '.'));
      String wanted = spec.hookDescriptor();
      boolean found = Arrays.stream(hooks.getMethods())
          .anyMatch(m -> m.getName().equals(spec.hookName) && Modifier.isStatic(m.getModifiers())
              && Type.getMethodDescriptor(m).equals(wanted));
      assertThat(found).as("hook of %s", spec).isTrue();
    }
  }

  /** Every *Async method of CompletionStage and CompletableFuture is hooked, on both static types. */
  @Test
  void everyAsyncStageMethodIsHookedOnBothTypes() {
    for (Class<?> owner : new Class<?>[] {CompletionStage.class, CompletableFuture.class}) {
      for (Method m : owner.getMethods()) {
        if (!m.getName().endsWith("Async") || m.getDeclaringClass() == Object.class) {
          continue;
        }
        String internal = Type.getInternalName(owner);
        String desc = Type.getMethodDescriptor(m);
        if (!Type.getReturnType(desc).getInternalName().equals(internal)) {
          continue; // a bridge or covariant form the compiler does not call on this type
        }
        assertThat(HookTable.INSTANCE.candidates(m.getName(), desc).stream()
            .filter(s -> s.family.equals(internal)).collect(Collectors.toList()))
            .as("%s.%s%s", owner.getSimpleName(), m.getName(), desc).hasSize(1);
      }
    }
  }

  @Test
  void stageHooksNameTheExecutorArgumentOnlyWhenThereIsOne() {
    for (HookSpec spec : HookTable.INSTANCE.all()) {
      if (!spec.hookClass.equals(HookTable.STAGE_HOOKS)) {
        continue;
      }
      boolean executor = spec.descriptor.contains(Type.getDescriptor(Executor.class) + ")");
      assertThat(spec.named).as("%s", spec)
          .isEqualTo(executor ? HookSpec.Named.LAST_ARGUMENT : HookSpec.Named.NONE);
    }
  }
}
