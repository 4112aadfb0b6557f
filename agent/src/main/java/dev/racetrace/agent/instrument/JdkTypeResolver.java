package dev.racetrace.agent.instrument;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves JDK types ({@code java/...}) through the platform class loader, with a cache; delegates
 * every other type to the application-aware resolver. Families are always JDK types.
 */
final class JdkTypeResolver implements TypeResolver {
  private static final ConcurrentHashMap<String, Boolean> JDK_CACHE = new ConcurrentHashMap<>();

  private final TypeResolver applicationTypes;

  JdkTypeResolver(TypeResolver applicationTypes) {
    this.applicationTypes = applicationTypes;
  }

  @Override
  public boolean isAssignable(String type, String family) {
    if (type.equals(family)) {
      return true;
    }
    if (!isJdk(type)) {
      return applicationTypes.isAssignable(type, family);
    }
    String cacheKey = type + ' ' + family;
    Boolean cached = JDK_CACHE.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    Class<?> t = load(type);
    Class<?> f = load(family);
    if (t == null || f == null) {
      // e.g. javax.servlet in an application server: not a platform type
      return applicationTypes.isAssignable(type, family);
    }
    boolean result = f.isAssignableFrom(t);
    JDK_CACHE.put(cacheKey, result);
    return result;
  }

  static boolean isJdk(String internalName) {
    return internalName.startsWith("java/") || internalName.startsWith("javax/")
        || internalName.startsWith("jdk/") || internalName.startsWith("sun/");
  }

  private static Class<?> load(String internalName) {
    try {
      return Class.forName(internalName.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
