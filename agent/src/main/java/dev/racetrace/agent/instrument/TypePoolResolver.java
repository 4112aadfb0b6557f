package dev.racetrace.agent.instrument;

import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * Resolves application types from their class files through Byte Buddy's type pool, without
 * loading them, and walks their supertypes looking for a JDK family type.
 */
final class TypePoolResolver implements TypeResolver {
  private final TypePool pool;

  TypePoolResolver(TypePool pool) {
    this.pool = pool;
  }

  @Override
  public boolean isAssignable(String type, String family) {
    try {
      TypePool.Resolution r = pool.describe(type.replace('/', '.'));
      if (!r.isResolved()) {
        return false;
      }
      return inherits(r.resolve(), family.replace('/', '.'), 0);
    } catch (RuntimeException | LinkageError e) {
      return false; // unresolvable supertypes: leave the call alone
    }
  }

  private static boolean inherits(TypeDefinition t, String family, int depth) {
    if (t == null || depth > 64) {
      return false;
    }
    if (t.asErasure().getName().equals(family)) {
      return true;
    }
    for (TypeDescription.Generic i : t.getInterfaces()) {
      if (inherits(i, family, depth + 1)) {
        return true;
      }
    }
    TypeDescription.Generic sup = t.getSuperClass();
    return sup != null && inherits(sup, family, depth + 1);
  }
}
