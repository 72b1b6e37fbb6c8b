// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.client;

import java.util.Collection;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.util.Bytes;

/** Builds TableDescriptors. */
public class TableDescriptorBuilder {
  private final Descriptor desc;

  private TableDescriptorBuilder(TableName name) { this.desc = new Descriptor(name); }
  public static TableDescriptorBuilder newBuilder(TableName name) { return new TableDescriptorBuilder(name); }

  public static TableDescriptorBuilder newBuilder(TableDescriptor other) {
    TableDescriptorBuilder builder = new TableDescriptorBuilder(other.getTableName());
    return builder.setColumnFamilies(java.util.Arrays.asList(other.getColumnFamilies()));
  }

  public TableDescriptorBuilder setColumnFamily(ColumnFamilyDescriptor family) {
    byte[] name = family.getName();
    if (name == null || name.length == 0) { throw new IllegalArgumentException("Family name cannot be null or empty"); }
    if (name.length > Byte.MAX_VALUE) {
      throw new IllegalArgumentException("The length of family name is bigger than " + Byte.MAX_VALUE);
    }
    if (desc.families.containsKey(name)) {
      throw new IllegalArgumentException("Family '" + family.getNameAsString() + "' already exists so cannot be added");
    }
    desc.families.put(name, family);
    return this;
  }

  public TableDescriptorBuilder setColumnFamilies(Collection<ColumnFamilyDescriptor> families) {
    for (ColumnFamilyDescriptor family : families) {
      setColumnFamily(family);
    }
    return this;
  }

  public TableDescriptor build() {
    Descriptor copy = new Descriptor(desc.name);
    copy.families.putAll(desc.families);
    return copy;
  }

  private static final class Descriptor implements TableDescriptor {
    private final TableName name;
    private final TreeMap<byte[], ColumnFamilyDescriptor> families = new TreeMap<>(Bytes.BYTES_COMPARATOR);

    Descriptor(TableName name) {
      if (name == null) { throw new IllegalArgumentException("TableName cannot be null"); }
      this.name = name;
    }

    @Override public TableName getTableName() { return name; }

    @Override
    public ColumnFamilyDescriptor[] getColumnFamilies() {
      return families.values().toArray(new ColumnFamilyDescriptor[0]);
    }

    @Override public ColumnFamilyDescriptor getColumnFamily(byte[] family) { return families.get(family); }
    @Override public boolean hasColumnFamily(byte[] family) { return families.containsKey(family); }
    @Override public int getColumnFamilyCount() { return families.size(); }

    @Override
    public Set<byte[]> getColumnFamilyNames() {
      Set<byte[]> names = new TreeSet<>(Bytes.BYTES_COMPARATOR);
      names.addAll(families.keySet());
      return names;
    }

    /** As HBase writes it: 't', {NAME => 'f', ...}, {NAME => 'g', ...} */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("'").append(name.getNameAsString()).append('\'');
      for (ColumnFamilyDescriptor family : families.values()) {
        s.append(", ").append(family);
      }
      return s.toString();
    }
  }
}
