// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package fakehbase;

import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.util.Bytes;

/** An immutable cell (each part in its own array, at offset 0). */
public final class FakeCell implements Cell {
  private final byte[] row;
  private final byte[] family;
  private final byte[] qualifier;
  private final long timestamp;
  private final Type type;
  private final byte[] value;

  public FakeCell(byte[] row, byte[] family, byte[] qualifier, long timestamp, Type type, byte[] value) {
    this.row = row;
    this.family = family == null ? HConstants.EMPTY_BYTE_ARRAY : family.clone();
    this.qualifier = qualifier == null ? HConstants.EMPTY_BYTE_ARRAY : qualifier.clone();
    this.timestamp = timestamp;
    this.type = type;
    this.value = value == null ? HConstants.EMPTY_BYTE_ARRAY : value.clone();
  }

  @Override public byte[] getRowArray() { return row; }
  @Override public int getRowOffset() { return 0; }
  @Override public short getRowLength() { return (short) row.length; }
  @Override public byte[] getFamilyArray() { return family; }
  @Override public int getFamilyOffset() { return 0; }
  @Override public byte getFamilyLength() { return (byte) family.length; }
  @Override public byte[] getQualifierArray() { return qualifier; }
  @Override public int getQualifierOffset() { return 0; }
  @Override public int getQualifierLength() { return qualifier.length; }
  @Override public long getTimestamp() { return timestamp; }
  @Override public byte getTypeByte() { return type.getCode(); }
  @Override public Type getType() { return type; }
  @Override public byte[] getValueArray() { return value; }
  @Override public int getValueOffset() { return 0; }
  @Override public int getValueLength() { return value.length; }

  /** As HBase's KeyValue: row/family:qualifier/timestamp/type/vlen=N/seqid=0 */
  @Override
  public String toString() {
    return Bytes.toStringBinary(row) + "/" + Bytes.toStringBinary(family) + ":" + Bytes.toStringBinary(qualifier) + "/"
        + (timestamp == HConstants.LATEST_TIMESTAMP ? "LATEST_TIMESTAMP" : Long.toString(timestamp)) + "/" + type
        + "/vlen=" + value.length + "/seqid=0";
  }
}
