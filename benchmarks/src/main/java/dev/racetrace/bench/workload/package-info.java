/**
 * Whole-process programs measured with and without an agent attached (see benchmarks/run.sh).
 * They depend on nothing but the JDK, except {@link dev.racetrace.bench.workload.ExportRate}, which
 * reads racetrace's rings when it is attached. Run with racetrace, this package is the one
 * enabled ({@code -Dracetrace.include=dev.racetrace.bench.workload}).
 */
package dev.racetrace.bench.workload;
