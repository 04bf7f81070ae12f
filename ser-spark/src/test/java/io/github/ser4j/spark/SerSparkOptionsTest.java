package io.github.ser4j.spark;

import io.github.ser4j.api.StreamOptions;
import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SerSparkOptions}' window and hop follow {@link StreamOptions}' rules: same values refused, same messages. */
class SerSparkOptionsTest {
    private static final double[] SECONDS = {Double.NaN, Double.NEGATIVE_INFINITY, -1, -0.0, 0, Double.MIN_VALUE,
        1e-9, 0.25, 1, 3600, Math.nextUp(3600.0), 3601, Double.POSITIVE_INFINITY};

    /** {@return null when {@code make} succeeds, else the message of the IllegalArgumentException it throws} */
    private static String refusal(Supplier<?> make) {
        try {
            make.get();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void windowAndHopRefuseWhatStreamOptionsRefusesWithItsMessage() {
        int refused = 0;
        for (double s : SECONDS) {
            String stream = refusal(() -> StreamOptions.builder().windowSeconds(s));
            assertEquals(stream, refusal(() -> SerSparkOptions.builder().windowSeconds(s)), "windowSeconds " + s);
            assertEquals(refusal(() -> StreamOptions.builder().hopSeconds(s)),
                    refusal(() -> SerSparkOptions.builder().hopSeconds(s)), "hopSeconds " + s);
            if (stream == null) {
                assertEquals(OptionalDouble.of(s), SerSparkOptions.builder().windowSeconds(s).build().windowSeconds());
                assertEquals(OptionalDouble.of(s), SerSparkOptions.builder().hopSeconds(s).build().hopSeconds());
            } else {
                refused++;
            }
        }
        assertEquals(8, refused, "NaN, -inf, -1, -0, 0, just over 3600, 3601, +inf");
        assertEquals("windowSeconds must be in (0, 3600] seconds, got 0.0",
                refusal(() -> SerSparkOptions.builder().windowSeconds(0)));
    }

    @Test
    void aHopLongerThanTheWindowIsRefusedAsStreamOptionsRefusesIt() {
        double[][] pairs = {{1, 2}, {1, 1}, {1, 0.5}, {0.25, Math.nextUp(0.25)}, {3600, 3600}};
        for (double[] p : pairs) {
            String stream = refusal(() -> StreamOptions.builder().windowSeconds(p[0]).hopSeconds(p[1]).build());
            assertEquals(stream,
                    refusal(() -> SerSparkOptions.builder().windowSeconds(p[0]).hopSeconds(p[1]).build()),
                    "window " + p[0] + ", hop " + p[1]);
            assertEquals(stream, refusal(() -> SerSparkOptions.builder().hopSeconds(p[1]).windowSeconds(p[0]).build()),
                    "set in the other order");
        }
        assertTrue(refusal(() -> SerSparkOptions.builder().windowSeconds(1).hopSeconds(2).build())
                .startsWith("hopSeconds 2.0 exceeds windowSeconds 1.0"));
    }

    @Test
    void streamOptionsCarryTheWindowAndHopAndStreamOptionsDefaults() {
        StreamOptions set = SerSparkOptions.builder().windowSeconds(0.5).hopSeconds(0.25).build().streamOptions();
        assertEquals(OptionalDouble.of(0.5), set.windowSeconds());
        assertEquals(OptionalDouble.of(0.25), set.hopSeconds());
        StreamOptions unset = SerSparkOptions.defaults().streamOptions();
        assertEquals(OptionalDouble.empty(), unset.windowSeconds());
        assertEquals(OptionalDouble.empty(), unset.hopSeconds());
        StreamOptions defaults = StreamOptions.defaults();
        for (StreamOptions o : new StreamOptions[] {set, unset}) {
            assertEquals(defaults.vadEnabled(), o.vadEnabled());
            assertEquals(defaults.smoothing(), o.smoothing());
            assertEquals(defaults.silenceStopSeconds(), o.silenceStopSeconds());
            assertEquals(defaults.adaptation(), o.adaptation());
            assertEquals(defaults.vad(), o.vad());
        }
    }
}
