// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase;

import org.apache.hadoop.hbase.util.Bytes;

/** A table name, "namespace:qualifier"; the "default" namespace is left out of its string form. */
public final class TableName implements Comparable<TableName> {
  public static final String DEFAULT_NAMESPACE_NAME_STR = "default";
  public static final char NAMESPACE_DELIM = ':';

  private final String namespace;
  private final String qualifier;
  private final String nameAsString;

  private TableName(String namespace, String qualifier) {
    this.namespace = checkNamespace(namespace);
    this.qualifier = checkQualifier(qualifier);
    this.nameAsString = DEFAULT_NAMESPACE_NAME_STR.equals(namespace) ? qualifier : namespace + NAMESPACE_DELIM + qualifier;
  }

  public static TableName valueOf(String name) {
    int colon = name.indexOf(NAMESPACE_DELIM);
    return colon < 0 ? new TableName(DEFAULT_NAMESPACE_NAME_STR, name)
        : new TableName(name.substring(0, colon), name.substring(colon + 1));
  }

  public static TableName valueOf(byte[] name) { return valueOf(Bytes.toString(name)); }

  public static TableName valueOf(String namespace, String qualifier) {
    return new TableName(namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE_NAME_STR : namespace, qualifier);
  }

  private static String checkNamespace(String ns) {
    for (int i = 0; i < ns.length(); i++) {
      char c = ns.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '_') {
        throw new IllegalArgumentException("Illegal character <" + c + "> at " + i
            + ". Namespaces may only contain 'alphanumeric characters' from any language and digits: " + ns);
      }
    }
    return ns;
  }

  private static String checkQualifier(String q) {
    if (q.isEmpty()) { throw new IllegalArgumentException("Table qualifier must not be empty"); }
    if (q.charAt(0) == '.' || q.charAt(0) == '-') {
      throw new IllegalArgumentException("Illegal first character <" + q.charAt(0) + "> at 0. User-space table"
          + " qualifiers can only start with 'alphanumeric characters' from any language: " + q);
    }
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '.') {
        throw new IllegalArgumentException("Illegal character code:" + (int) c + ", <" + c + "> at " + i
            + ". User-space table qualifiers may only contain 'alphanumeric characters' and digits: " + q);
      }
    }
    return q;
  }

  public byte[] getName() { return Bytes.toBytes(nameAsString); }
  public String getNameAsString() { return nameAsString; }
  public String getNamespaceAsString() { return namespace; }
  public String getQualifierAsString() { return qualifier; }
  @Override public String toString() { return nameAsString; }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableName && ((TableName) o).nameAsString.equals(nameAsString);
  }

  @Override public int hashCode() { return nameAsString.hashCode(); }
  @Override public int compareTo(TableName other) { return Bytes.compareTo(getName(), other.getName()); }
}
