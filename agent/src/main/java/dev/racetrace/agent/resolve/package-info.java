/**
 * Configured names resolved against the application's classes, off the hot path: the key of an
 * element class ({@code racetrace.keys}), the types whose captured values name a lambda task's key
 * and op, static state probes ({@code racetrace.state}) and delay rules ({@code racetrace.delay}).
 * Each is handed to agent-core at start and consulted once per class or per probe read, never per
 * event.
 */
package dev.racetrace.agent.resolve;
