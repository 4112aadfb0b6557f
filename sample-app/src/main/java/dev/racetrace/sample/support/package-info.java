/**
 * Coordination of the node process itself (has the log finished, has someone asked us to start or
 * stop) rather than of the service's work. It lives outside {@code dev.racetrace.sample.node} so
 * the agent, which instruments only that package, does not record it as part of the service's
 * behaviour: the spans show the store's guards, not the harness's.
 */
package dev.racetrace.sample.support;
