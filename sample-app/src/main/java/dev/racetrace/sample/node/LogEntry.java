package dev.racetrace.sample.node;

/** What every operation of the input log has besides its key and its work: a position and a lane. */
abstract class LogEntry implements Operation {
  private final long offset;
  private final Lane lane;

  /**
   * @param offset position in the input log
   * @param lane the scheduling lane
   */
  LogEntry(long offset, Lane lane) {
    this.offset = offset;
    this.lane = lane;
  }

  @Override
  public final long offset() {
    return offset;
  }

  @Override
  public final Lane lane() {
    return lane;
  }
}
