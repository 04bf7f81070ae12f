package io.github.ser4j.examples.io;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvTest {
    @Test
    void quotesOnlyWhenNeededAndRoundTrips() {
        List<String> cells = Arrays.asList("plain", "with,comma", "with \"quote\"", "", null, "a\nb");
        String row = Csv.row(cells);
        assertEquals("plain,\"with,comma\",\"with \"\"quote\"\"\",,,\"a\nb\"", row);
        assertEquals(List.of("plain", "with,comma", "with \"quote\"", "", ""), Csv.parse(
                "plain,\"with,comma\",\"with \"\"quote\"\"\",,"));
        assertEquals(List.of(""), Csv.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Csv.parse("\"open,cell"));
    }
}
