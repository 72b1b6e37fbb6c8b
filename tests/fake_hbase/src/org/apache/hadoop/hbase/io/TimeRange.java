// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.io;

/** A time range [min, max) in milliseconds. */
public final class TimeRange {
  private final long minStamp;
  private final long maxStamp;

  private TimeRange(long minStamp, long maxStamp) {
    if (minStamp < 0 || maxStamp < 0) {
      throw new IllegalArgumentException("Timestamp cannot be negative. minStamp:" + minStamp + ", maxStamp:" + maxStamp);
    }
    if (maxStamp < minStamp) { throw new IllegalArgumentException("maxStamp is smaller than minStamp"); }
    this.minStamp = minStamp;
    this.maxStamp = maxStamp;
  }

  public static TimeRange allTime() { return new TimeRange(0L, Long.MAX_VALUE); }
  public static TimeRange at(long ts) { return new TimeRange(ts, ts == Long.MAX_VALUE ? ts : ts + 1); }
  public static TimeRange between(long minStamp, long maxStamp) { return new TimeRange(minStamp, maxStamp); }
  public long getMin() { return minStamp; }
  public long getMax() { return maxStamp; }
  public boolean withinTimeRange(long timestamp) { return minStamp <= timestamp && timestamp < maxStamp; }
  @Override public String toString() { return "maxStamp=" + maxStamp + ", minStamp=" + minStamp; }
}
