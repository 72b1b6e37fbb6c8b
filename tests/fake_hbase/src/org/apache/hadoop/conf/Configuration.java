// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.conf;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Hadoop's Configuration: string properties only (no XML resources, no ${var} expansion). */
public class Configuration implements Iterable<Map.Entry<String, String>> {
  private final Map<String, String> properties = new TreeMap<>();

  public Configuration() { }

  public Configuration(Configuration other) {
    synchronized (other) {
      properties.putAll(other.properties);
    }
  }

  public synchronized void set(String name, String value) {
    if (name == null) { throw new IllegalArgumentException("Property name must not be null"); }
    if (value == null) { throw new IllegalArgumentException("The value of property " + name + " must not be null"); }
    properties.put(name.trim(), value);
  }

  public synchronized String get(String name) { return properties.get(name); }

  public synchronized String get(String name, String defaultValue) {
    String value = properties.get(name);
    return value == null ? defaultValue : value;
  }

  public int getInt(String name, int defaultValue) {
    String value = get(name);
    return value == null ? defaultValue : Integer.parseInt(value.trim());
  }

  public long getLong(String name, long defaultValue) {
    String value = get(name);
    return value == null ? defaultValue : Long.parseLong(value.trim());
  }

  public boolean getBoolean(String name, boolean defaultValue) {
    String value = get(name);
    return value == null ? defaultValue : Boolean.parseBoolean(value.trim());
  }

  public void setInt(String name, int value) { set(name, Integer.toString(value)); }
  public void setLong(String name, long value) { set(name, Long.toString(value)); }
  public synchronized int size() { return properties.size(); }

  @Override
  public synchronized Iterator<Map.Entry<String, String>> iterator() {
    return new TreeMap<>(properties).entrySet().iterator();
  }

  @Override public String toString() { return "Configuration: FAKE (in memory, no resources)"; }
}
