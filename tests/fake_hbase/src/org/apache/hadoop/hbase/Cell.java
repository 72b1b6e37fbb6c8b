// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

/** One cell: {row, family, qualifier, timestamp, type} -> value. */
public interface Cell {
  byte[] getRowArray();

  int getRowOffset();

  short getRowLength();

  byte[] getFamilyArray();

  int getFamilyOffset();

  byte getFamilyLength();

  byte[] getQualifierArray();

  int getQualifierOffset();

  int getQualifierLength();

  long getTimestamp();

  byte getTypeByte();

  byte[] getValueArray();

  int getValueOffset();

  int getValueLength();

  Type getType();

  enum Type {
    Put((byte) 4), Delete((byte) 8), DeleteFamilyVersion((byte) 10), DeleteColumn((byte) 12), DeleteFamily((byte) 14);

    private final byte code;

    Type(byte code) { this.code = code; }
    public byte getCode() { return code; }
  }
}
