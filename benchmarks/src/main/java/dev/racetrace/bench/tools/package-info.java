/**
 * Tools of benchmarks/run.sh, not benchmarks: the OTLP/HTTP receiver on 127.0.0.1
 * ({@link dev.racetrace.bench.tools.OtlpReceiver}), the JFR summary
 * ({@link dev.racetrace.bench.tools.JfrTop}) and the report that turns a results directory into the
 * table of ratios ({@link dev.racetrace.bench.tools.Report}). Internal to the benchmarks module.
 */
package dev.racetrace.bench.tools;
