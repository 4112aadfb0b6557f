/**
 * Lock-free event rings that carry recorded events from application threads to the exporter.
 *
 * <h2>Memory-ordering vocabulary</h2>
 * Every non-plain access is done through a {@link java.lang.invoke.VarHandle} and carries a trailing
 * comment naming its barrier:
 * <ul>
 *   <li><b>plain</b>: ordinary field or array access; no ordering with other threads.</li>
 *   <li><b>opaque</b>: coherent per variable, no ordering of surrounding accesses.</li>
 *   <li><b>release</b> ({@code setRelease}): all earlier writes become visible before this one.</li>
 *   <li><b>acquire</b> ({@code getAcquire}): no later read moves before this one.</li>
 *   <li><b>volatile</b>: sequentially consistent.</li>
 *   <li><b>CAS</b> ({@code compareAndSet}): volatile read-modify-write.</li>
 *   <li><b>fetch-add</b> ({@code getAndAdd}): volatile read-modify-write.</li>
 * </ul>
 *
 * <h2>Record publication</h2>
 * A producer first claims a slot, writes the record's body with plain writes, and finally writes
 * the record's header (its {@code seq}, never 0) with release. The consumer reads the header with
 * acquire; a non-zero header proves the body is complete. After copying the body, the consumer
 * clears the header (plain) and releases the slot by advancing its consumer index (release).
 *
 * <p>This package is internal to racetrace and not a public API.
 */
package dev.racetrace.core.buffer;
