// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.util;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/** A subset of HBase's Bytes: conversions, unsigned comparison, and the shell's \xHH form. */
public class Bytes {
  public static final int SIZEOF_INT = 4;
  public static final int SIZEOF_LONG = 8;
  public static final Comparator<byte[]> BYTES_COMPARATOR = Bytes::compareTo;

  public static byte[] toBytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
  public static byte[] toBytes(boolean b) { return new byte[] {b ? (byte) -1 : (byte) 0}; }
  public static byte[] toBytes(short val) { return new byte[] {(byte) (val >> 8), (byte) val}; }

  public static byte[] toBytes(int val) {
    return new byte[] {(byte) (val >> 24), (byte) (val >> 16), (byte) (val >> 8), (byte) val};
  }

  public static byte[] toBytes(long val) {
    byte[] b = new byte[SIZEOF_LONG];
    for (int i = SIZEOF_LONG - 1; i >= 0; i--) {
      b[i] = (byte) val;
      val >>>= 8;
    }
    return b;
  }

  public static byte[] toBytes(float f) { return toBytes(Float.floatToRawIntBits(f)); }
  public static byte[] toBytes(double d) { return toBytes(Double.doubleToRawLongBits(d)); }
  public static String toString(byte[] b) { return b == null ? null : new String(b, StandardCharsets.UTF_8); }

  public static String toString(byte[] b, int off, int len) {
    return b == null ? null : new String(b, off, len, StandardCharsets.UTF_8);
  }

  public static long toLong(byte[] bytes) {
    if (bytes.length < SIZEOF_LONG) {
      throw new IllegalArgumentException("offset (0) + length (8) exceed the capacity of the array: " + bytes.length);
    }
    long l = 0;
    for (int i = 0; i < SIZEOF_LONG; i++) {
      l = (l << 8) | (bytes[i] & 0xFF);
    }
    return l;
  }

  public static int toInt(byte[] bytes) {
    if (bytes.length < SIZEOF_INT) {
      throw new IllegalArgumentException("offset (0) + length (4) exceed the capacity of the array: " + bytes.length);
    }
    return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
  }

  /** Printable ASCII as is (not the backslash), every other byte as \xHH, as the HBase shell shows keys. */
  public static String toStringBinary(byte[] b) {
    if (b == null) { return "null"; }
    StringBuilder result = new StringBuilder();
    for (byte x : b) {
      int ch = x & 0xFF;
      if (ch >= ' ' && ch <= '~' && ch != '\\') {
        result.append((char) ch);
      } else {
        result.append(String.format("\\x%02X", ch));
      }
    }
    return result.toString();
  }

  public static byte[] toBytesBinary(String in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < in.length(); i++) {
      char ch = in.charAt(i);
      if (ch == '\\' && in.length() > i + 3 && in.charAt(i + 1) == 'x'
          && Character.digit(in.charAt(i + 2), 16) >= 0 && Character.digit(in.charAt(i + 3), 16) >= 0) {
        out.write(Character.digit(in.charAt(i + 2), 16) * 16 + Character.digit(in.charAt(i + 3), 16));
        i += 3;
      } else {
        out.write((byte) ch);
      }
    }
    return out.toByteArray();
  }

  public static int compareTo(byte[] left, byte[] right) {
    int n = Math.min(left.length, right.length);
    for (int i = 0; i < n; i++) {
      int a = left[i] & 0xFF;
      int b = right[i] & 0xFF;
      if (a != b) { return a - b; }
    }
    return left.length - right.length;
  }

  public static boolean equals(byte[] left, byte[] right) { return java.util.Arrays.equals(left, right); }
}
