// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

import java.util.Arrays;
import org.apache.hadoop.hbase.util.Bytes;

public final class CellUtil {
  private CellUtil() { }

  public static byte[] cloneRow(Cell cell) {
    return Arrays.copyOfRange(cell.getRowArray(), cell.getRowOffset(), cell.getRowOffset() + cell.getRowLength());
  }

  public static byte[] cloneFamily(Cell cell) {
    return Arrays.copyOfRange(cell.getFamilyArray(), cell.getFamilyOffset(), cell.getFamilyOffset() + cell.getFamilyLength());
  }

  public static byte[] cloneQualifier(Cell cell) {
    return Arrays.copyOfRange(cell.getQualifierArray(), cell.getQualifierOffset(),
        cell.getQualifierOffset() + cell.getQualifierLength());
  }

  public static byte[] cloneValue(Cell cell) {
    return Arrays.copyOfRange(cell.getValueArray(), cell.getValueOffset(), cell.getValueOffset() + cell.getValueLength());
  }

  public static boolean matchingFamily(Cell cell, byte[] family) {
    return Bytes.equals(cloneFamily(cell), family == null ? HConstants.EMPTY_BYTE_ARRAY : family);
  }

  public static boolean matchingQualifier(Cell cell, byte[] qualifier) {
    return Bytes.equals(cloneQualifier(cell), qualifier == null ? HConstants.EMPTY_BYTE_ARRAY : qualifier);
  }

  public static boolean matchingColumn(Cell cell, byte[] family, byte[] qualifier) {
    return matchingFamily(cell, family) && matchingQualifier(cell, qualifier);
  }

  public static boolean isDelete(Cell cell) {
    return cell.getTypeByte() >= Cell.Type.Delete.getCode() && cell.getTypeByte() <= Cell.Type.DeleteFamily.getCode();
  }
}
