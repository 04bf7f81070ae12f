/**
 * Audio input for ser4j through javax.sound and ser4j's own container parsers: {@link
 * io.github.ser4j.audio.javasound.JavaSoundAudio} (files, streams, byte arrays, probing, microphones), {@link
 * io.github.ser4j.audio.javasound.MicrophoneSource} (live capture through a bounded drop-oldest ring buffer) and the
 * {@link io.github.ser4j.api.spi.AudioInputProvider} behind {@link io.github.ser4j.api.AudioSource#open(java.nio.file.Path)}.
 */
package io.github.ser4j.audio.javasound;
