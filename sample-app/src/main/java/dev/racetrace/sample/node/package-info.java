/**
 * The replicated store's node: everything that runs inside one node JVM and that the racetrace
 * agent instruments ({@code -Dracetrace.include=dev.racetrace.sample.node}).
 *
 * <p>Input arrives as an ordered log of {@link dev.racetrace.sample.node.Operation}s (the same log
 * on every node, generated from the seed by {@link dev.racetrace.sample.node.Workload}). The
 * {@link dev.racetrace.sample.node.Intake} puts them on {@code Node.workQueue}; a pool of
 * {@link dev.racetrace.sample.node.WorkerLoop}s on {@code Node.workers} takes them off and applies
 * them. Per key the log carries {@code load-metadata} ({@link dev.racetrace.sample.node.LoadMetadata}),
 * {@code derive} ({@link dev.racetrace.sample.node.Derive}) and {@code publish}
 * ({@link dev.racetrace.sample.node.Publish}).
 *
 * <p>Three guards stand between {@code derive} and the metadata it needs, each weaker than it
 * looks: {@code Node.startupLatch} (initial snapshot only), {@code Node.ready} (node-wide), and
 * the timed wait in {@link dev.racetrace.sample.node.MetadataStore#awaitEntry}. In
 * {@link dev.racetrace.sample.node.Mode#FIXED} the {@link dev.racetrace.sample.node.DependencyGate}
 * orders each key's operations instead.
 *
 * <p>Nothing in this package knows which node is "the odd one": every node runs the same code on
 * the same input; only the congested node also receives a burst of
 * {@link dev.racetrace.sample.node.Compaction} jobs.
 */
package dev.racetrace.sample.node;
