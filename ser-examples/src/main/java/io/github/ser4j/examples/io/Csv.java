package io.github.ser4j.examples.io;

import java.util.ArrayList;
import java.util.List;

/** Minimal RFC 4180 CSV: quoting on write, a quote-aware line splitter on read. Stateless and thread-safe. */
public final class Csv {
    private Csv() {
    }

    /**
     * @param cells values; null is written as an empty cell
     * @return one CSV line without the line break; cells holding a comma, quote or line break are quoted
     */
    public static String row(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i) == null ? "" : cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Splits one CSV record (no embedded line breaks).
     *
     * @param line the record
     * @return its cells, unquoted
     * @throws IllegalArgumentException if a quoted cell is not closed
     */
    public static List<String> parse(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted cell");
        }
        cells.add(cell.toString());
        return cells;
    }
}
