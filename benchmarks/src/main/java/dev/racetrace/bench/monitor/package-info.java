/**
 * Helpers the whole-process programs call from inside the measured process. This package is
 * deliberately outside the one racetrace records ({@code dev.racetrace.bench.workload}), so its own
 * waits and sleeps never become events. Internal to the benchmarks module.
 */
package dev.racetrace.bench.monitor;
