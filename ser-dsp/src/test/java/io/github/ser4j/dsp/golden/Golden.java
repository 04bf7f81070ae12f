package io.github.ser4j.dsp.golden;

import io.github.ser4j.dsp.feature.Npy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** The librosa goldens of src/test/resources/golden (written by src/test/python/make_goldens.py). */
public final class Golden {
    private Golden() {
    }

    /** One line of cases.tsv. */
    public record Case(String id, String function, String signal, Map<String, String> params, String output,
                       String input) {
        @Override
        public String toString() {
            return id + " " + function + (signal.equals("-") ? "" : " " + signal) + " " + params;
        }

        /** @return true if the parameter is given */
        public boolean has(String key) {
            return params.containsKey(key);
        }

        /** @return an int parameter or the default */
        public int i(String key, int def) {
            String v = params.get(key);
            return v == null || v.equals("None") ? def : Integer.parseInt(v);
        }

        /** @return a double parameter or the default (None gives NaN) */
        public double d(String key, double def) {
            String v = params.get(key);
            return v == null ? def : v.equals("None") ? Double.NaN : Double.parseDouble(v);
        }

        /** @return a nullable double parameter ("None" is null) or the default */
        public Double dn(String key, Double def) {
            String v = params.get(key);
            return v == null ? def : v.equals("None") ? null : Double.valueOf(v);
        }

        /** @return a boolean parameter or the default */
        public boolean b(String key, boolean def) {
            String v = params.get(key);
            return v == null ? def : v.equals("True");
        }

        /** @return a string parameter or the default */
        public String s(String key, String def) {
            String v = params.get(key);
            return v == null ? def : v;
        }
    }

    /** @return all cases */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open("cases.tsv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                Map<String, String> params = new LinkedHashMap<>();
                if (!f[3].isEmpty()) {
                    for (String kv : f[3].split(";")) {
                        int eq = kv.indexOf('=');
                        params.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
                cases.add(new Case(f[0], f[1], f[2], Collections.unmodifiableMap(params), f[4], f[5]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    /** @return the float32 test signal */
    public static float[] signal(String name) {
        return npy("inputs/" + name + ".npy.gz").floats();
    }

    /** @return librosa's output of a case */
    public static Npy output(String file) {
        return npy("out/" + file);
    }

    /** @return an .npy.gz resource under golden/ */
    public static Npy npy(String path) {
        try {
            return Npy.read(new GZIPInputStream(open(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    private static InputStream open(String path) {
        InputStream in = Golden.class.getResourceAsStream("/golden/" + path);
        if (in == null) {
            throw new IllegalStateException("missing golden resource " + path + "; run make_goldens.py");
        }
        return in;
    }
}
