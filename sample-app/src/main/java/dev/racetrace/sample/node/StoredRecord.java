package dev.racetrace.sample.node;

import dev.racetrace.sample.wire.RawRecord;

/**
 * A persisted record in a node's {@link RecordStore}.
 *
 * @param key the entity key
 * @param value the persisted value
 * @param version 1 after the first publish on this node, +1 per later publish
 * @param metadataVersion the metadata version the value was derived from
 * @param writtenAtMicros when the value was derived (epoch microseconds)
 * @param origin the node that derived it
 */
public record StoredRecord(String key, String value, long version, long metadataVersion,
    long writtenAtMicros, String origin) {

  /** Last-writer-wins order: the later timestamp wins; ties go to the larger origin name. */
  boolean newerThan(StoredRecord other) {
    if (writtenAtMicros != other.writtenAtMicros) {
      return writtenAtMicros > other.writtenAtMicros;
    }
    return origin.compareTo(other.origin) > 0;
  }

  /** The wire form, as read from {@code node}. */
  public RawRecord toRaw(String node) {
    return new RawRecord(node, key, value, version, metadataVersion, writtenAtMicros, origin);
  }

  /** The stored form of a record received from another node. */
  static StoredRecord fromRaw(RawRecord r) {
    return new StoredRecord(r.key(), r.value(), r.version(), r.metadataVersion(),
        r.writtenAtMicros(), r.origin() == null ? r.node() : r.origin());
  }
}
