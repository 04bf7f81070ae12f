package io.github.ser4j.dsp.feature;

import io.github.ser4j.dsp.internal.FrameProcessor;
import io.github.ser4j.dsp.internal.SpectrumKernel;
import io.github.ser4j.dsp.spectral.MelFilterBank;
import io.github.ser4j.dsp.spectral.PowerToDb;

/** Spectrum, mel filter bank and (optionally) the frame-local part of power_to_db. Not thread-safe. */
final class MelKernel implements FrameProcessor {
    private final SpectrumKernel spectrum;
    private final MelFilterBank bank;
    private final PowerToDb db;
    private final float[] column;

    MelKernel(SpectrumKernel spectrum, MelFilterBank bank, PowerToDb frameLocalDb) {
        this.spectrum = spectrum;
        this.bank = bank;
        this.db = frameLocalDb;
        this.column = new float[spectrum.outputSize()];
    }

    @Override
    public int outputSize() {
        return bank.nMels();
    }

    @Override
    public void process(float[] src, int offset, float[] out) {
        spectrum.process(src, offset, column);
        bank.applyFrame(column, out);
        if (db != null) {
            db.applyFrame(out, out, bank.nMels());
        }
    }
}
