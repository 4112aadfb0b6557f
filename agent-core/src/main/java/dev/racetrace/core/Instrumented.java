package dev.racetrace.core;

/**
 * Marker added at load time to application classes (in enabled packages) whose own queue or
 * executor methods are instrumented as types. Call-site hooks skip recording for such receivers
 * so every operation is recorded once.
 */
public interface Instrumented {}
