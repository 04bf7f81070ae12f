package io.github.ser4j.spark;

import io.github.ser4j.api.EmotionPrediction;
import io.github.ser4j.api.EmotionSegment;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** The columns of the {@code files} and {@code segments} tables, and the rows that fill them. Stateless. */
final class Schemas {
    static final String SEGMENTS = "segments";

    private Schemas() {
    }

    /** {@return the {@code files} columns (see {@link SerSparkResult#files()})} */
    static StructType files(ModelMeta meta) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("path", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("size", DataTypes.LongType, false));
        f.add(DataTypes.createStructField("modification_time", DataTypes.TimestampType, true));
        f.add(DataTypes.createStructField("ok", DataTypes.BooleanType, false));
        f.add(DataTypes.createStructField("error_type", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("error", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("duration_s", DataTypes.DoubleType, true));
        f.add(DataTypes.createStructField("speech_s", DataTypes.DoubleType, true));
        f.add(DataTypes.createStructField("windows", DataTypes.IntegerType, true));
        prediction(f, meta);
        f.add(DataTypes.createStructField("model_name", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("model_version", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("model_sha256", DataTypes.StringType, false));
        return DataTypes.createStructType(f);
    }

    /** {@return a segment's columns, without the path} */
    static StructType segment(ModelMeta meta) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("start_s", DataTypes.DoubleType, false));
        f.add(DataTypes.createStructField("end_s", DataTypes.DoubleType, false));
        prediction(f, meta);
        return DataTypes.createStructType(f);
    }

    /** {@return the {@code files} columns followed by an array of segments: one row per file, as analysed} */
    static StructType combined(ModelMeta meta) {
        return files(meta).add(SEGMENTS, DataTypes.createArrayType(segment(meta), false), false);
    }

    private static void prediction(List<StructField> f, ModelMeta meta) {
        f.add(DataTypes.createStructField("label", DataTypes.StringType, true));
        f.add(DataTypes.createStructField("confidence", DataTypes.FloatType, true));
        for (String column : meta.probabilityColumns()) {
            f.add(DataTypes.createStructField(column, DataTypes.FloatType, true));
        }
        f.add(DataTypes.createStructField("arousal", DataTypes.DoubleType, true));
        f.add(DataTypes.createStructField("valence", DataTypes.DoubleType, true));
    }

    /** {@return the combined row of one file} */
    static Row combinedRow(ModelMeta meta, String path, long size, Timestamp modified, FileAnalysis.Outcome o) {
        List<Object> v = new ArrayList<>();
        v.add(path);
        v.add(size);
        v.add(modified);
        v.add(o.ok());
        v.add(o.errorType());
        v.add(o.error());
        v.add(o.ok() ? o.durationS() : null);
        v.add(o.ok() ? o.speechS() : null);
        v.add(o.ok() ? o.windows() : null);
        prediction(v, meta, o.prediction());
        v.add(meta.name());
        v.add(meta.version());
        v.add(meta.sha256());
        List<Row> segments = new ArrayList<>(o.segments().size());
        for (EmotionSegment s : o.segments()) {
            List<Object> sv = new ArrayList<>();
            sv.add(s.startSeconds());
            sv.add(s.endSeconds());
            prediction(sv, meta, s.prediction());
            segments.add(RowFactory.create(sv.toArray()));
        }
        v.add(scala.jdk.javaapi.CollectionConverters.asScala(segments).toSeq());
        return RowFactory.create(v.toArray());
    }

    private static void prediction(List<Object> v, ModelMeta meta, EmotionPrediction p) {
        if (p == null) {
            for (int i = 0; i < meta.labels().size() + 4; i++) {
                v.add(null);
            }
            return;
        }
        v.add(p.label());
        v.add(p.confidence());
        for (float x : p.probabilities()) {
            v.add(x);
        }
        v.add(p.arousal().isPresent() ? p.arousal().getAsDouble() : null);
        v.add(p.valence().isPresent() ? p.valence().getAsDouble() : null);
    }
}
