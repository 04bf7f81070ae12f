/**
 * Implementation details shared by the ser-dsp packages (framing, per-frame kernels, numpy-exact arithmetic, the
 * streaming engine). Not API: these types may change in any release.
 */
package io.github.ser4j.dsp.internal;
