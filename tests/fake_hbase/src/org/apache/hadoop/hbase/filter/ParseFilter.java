// FAKE stand-in for stave's tests (tests/fake_hbase), not HBase: same names and signatures, in-memory behaviour.
package org.apache.hadoop.hbase.filter;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EmptyStackException;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * HBase's filter language, parsed as HBase's ParseFilter does, but for a subset: one filter, optionally in
 * parentheses, among PrefixFilter('p'), KeyOnlyFilter(), FirstKeyOnlyFilter() and PageFilter(n).
 * Other names fail with HBase's "Filter Name X not supported"; AND, OR, SKIP and WHILE are refused.
 */
public class ParseFilter {
  private static final String[] SUPPORTED = {"PrefixFilter", "KeyOnlyFilter", "FirstKeyOnlyFilter", "PageFilter"};
  private static final String[] OPERATORS = {"AND", "OR", "SKIP", "WHILE"};

  public ParseFilter() { }
  public Set<String> getSupportedFilters() { return new TreeSet<>(Arrays.asList(SUPPORTED)); }

  public Filter parseFilterString(String filterString) throws CharacterCodingException {
    return parseFilterString(Bytes.toBytes(filterString));
  }

  public Filter parseFilterString(byte[] filterStringAsByteArray) throws CharacterCodingException {
    byte[] s = filterStringAsByteArray;
    Filter filter = null;
    int open = 0;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == ' ' || s[i] == '\t') {
        continue;
      } else if (s[i] == '(') {
        open++;
      } else if (s[i] == ')') {
        if (open-- == 0) { throw new IllegalArgumentException("Mismatched parenthesis"); }
      } else if (operatorAt(s, i) != null) {
        throw new IllegalArgumentException("Filter operator " + operatorAt(s, i)
            + " is not supported by the FAKE HBase client (tests/fake_hbase), only a single filter");
      } else {
        byte[] expression = extractFilterSimpleExpression(s, i);
        i += expression.length - 1;
        Filter parsed = parseSimpleFilterExpression(expression);
        if (filter != null) { throw new IllegalArgumentException("Incorrect Filter String"); }
        filter = parsed;
      }
    }
    if (filter == null) {
      throw new EmptyStackException(); // what HBase's parser does with a string holding no filter
    }
    return filter;
  }

  private static String operatorAt(byte[] s, int i) {
    for (String op : OPERATORS) {
      int end = i + op.length();
      boolean before = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == ')' || s[i - 1] == '(';
      if (before && end < s.length && (s[end] == ' ' || s[end] == '(')
          && Bytes.toString(s, i, op.length()).equals(op)) {
        return op;
      }
    }
    return null;
  }

  /** The expression Name(args) starting at `start`: up to the first ')' outside quotes. */
  public byte[] extractFilterSimpleExpression(byte[] s, int start) throws CharacterCodingException {
    int quotes = 0;
    for (int i = start; i < s.length; i++) {
      if (s[i] == '\'') {
        if (isQuoteUnescaped(s, i)) {
          quotes++;
        } else {
          i++;
        }
      }
      if (s[i] == ')' && quotes % 2 == 0) { return Arrays.copyOfRange(s, start, i + 1); }
    }
    throw new IllegalArgumentException("Incorrect Filter String");
  }

  public Filter parseSimpleFilterExpression(byte[] expression) throws CharacterCodingException {
    String filterName = Bytes.toString(getFilterName(expression));
    ArrayList<byte[]> arguments = getFilterArguments(expression);
    switch (filterName) {
      case "PrefixFilter":
        return PrefixFilter.createFilterFromArguments(arguments);
      case "KeyOnlyFilter":
        return KeyOnlyFilter.createFilterFromArguments(arguments);
      case "FirstKeyOnlyFilter":
        return FirstKeyOnlyFilter.createFilterFromArguments(arguments);
      case "PageFilter":
        return PageFilter.createFilterFromArguments(arguments);
      default:
        throw new IllegalArgumentException("Filter Name " + filterName + " not supported");
    }
  }

  public static byte[] getFilterName(byte[] expression) {
    for (int i = 0; i < expression.length; i++) {
      if (expression[i] == '(' || expression[i] == ' ') {
        if (i == 0) { break; }
        return Arrays.copyOf(expression, i);
      }
    }
    throw new IllegalArgumentException("Incorrect Filter Name");
  }

  /** The arguments between the parentheses: quoted ones keep their quotes (unescaped), others are bare words. */
  public static ArrayList<byte[]> getFilterArguments(byte[] s) {
    int listStart = -1;
    for (int i = 0; i < s.length && listStart < 0; i++) {
      listStart = s[i] == '(' ? i : -1;
    }
    if (listStart == -1) { throw new IllegalArgumentException("Incorrect argument list"); }
    ArrayList<byte[]> arguments = new ArrayList<>();
    for (int i = listStart + 1; i < s.length; i++) {
      if (s[i] == ' ' || s[i] == ',' || s[i] == ')') { continue; }
      int start = i;
      boolean done = false;
      if (s[i] == '\'') {
        for (int j = start + 1; j < s.length && !done; j++) {
          if (s[j] == '\'') {
            if (isQuoteUnescaped(s, j)) {
              arguments.add(unescape(s, start, j));
              i = j + 1;
              done = true;
            } else {
              j++;
            }
          }
        }
      } else {
        for (int j = start; j < s.length && !done; j++) {
          if (s[j] == ' ' || s[j] == ',' || s[j] == ')') {
            arguments.add(Arrays.copyOfRange(s, start, j));
            i = j;
            done = true;
          }
        }
      }
      if (!done) { throw new IllegalArgumentException("Incorrect argument list"); }
    }
    return arguments;
  }

  public static boolean isQuoteUnescaped(byte[] array, int quoteIndex) {
    return quoteIndex == array.length - 1 || array[quoteIndex + 1] != '\'';
  }

  /** 'it''s' -> 'it's' (the quotes stay, as in HBase's createUnescapdArgument). */
  private static byte[] unescape(byte[] s, int start, int end) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write('\'');
    for (int i = start + 1; i < end; i++) {
      out.write(s[i]);
      if (s[i] == '\'' && i != end - 1 && s[i + 1] == '\'') { i++; }
    }
    out.write('\'');
    return out.toByteArray();
  }

  public static byte[] removeQuotesFromByteArray(byte[] quoted) {
    if (quoted == null || quoted.length < 2 || quoted[0] != '\'' || quoted[quoted.length - 1] != '\'') {
      throw new IllegalArgumentException("removeQuotesFromByteArray needs a quoted byte array");
    }
    return Arrays.copyOfRange(quoted, 1, quoted.length - 1);
  }

  public static long convertByteArrayToLong(byte[] number) {
    int i = 0;
    boolean negative = number.length > 0 && number[0] == '-';
    long result = 0;
    for (i = negative ? 1 : 0; i < number.length; i++) {
      if (number[i] < '0' || number[i] > '9') {
        throw new IllegalArgumentException("Byte Array should only contain digits");
      }
      result = result * 10 + (number[i] - '0');
      if (result < 0) { throw new IllegalArgumentException("Long Argument too large"); }
    }
    return negative ? -result : result;
  }

  public static boolean convertByteArrayToBoolean(byte[] booleanAsByteArray) {
    String word = Bytes.toString(booleanAsByteArray);
    if (word.equalsIgnoreCase("true")) {
      return true;
    } else if (word.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("Incorrect Boolean Expression");
  }
}
