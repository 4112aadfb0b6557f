/**
 * JMH benchmarks of racetrace's hot path: each hook ({@code QueueHooks.offer}, ...) with the
 * recorder running against the plain JDK call it replaces, on one thread and on two threads
 * sharing the same queue, executor or latch. Method names are {@code <operation>_jdk} (the
 * baseline) and {@code <operation>_hook}; an {@code x2_} prefix marks the two-thread variants
 * ({@code @Threads(2)}, shared objects). The recorder is started by {@link
 * dev.racetrace.bench.jmh.RecorderState} in the mode given by {@code -p mode=drained|full}.
 *
 * <p>Run them through {@code benchmarks/run.sh}, or directly:
 * {@code java -jar benchmarks/target/benchmarks.jar -prof gc -p mode=drained}.
 */
package dev.racetrace.bench.jmh;
