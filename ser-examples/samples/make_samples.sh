#!/bin/sh
# Regenerates the README's sample clips with a speech synthesiser: no corpus audio, no recordings of people.
# Needs espeak-ng and sox (Debian: apt-get install espeak-ng sox). Output: 16 kHz, mono, 16-bit PCM WAV.
# The clips are committed, so users need not run this; output may differ slightly between espeak-ng versions.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() { # say OUT.wav VOICE SPEED PITCH TEXT
    espeak-ng -v "$2" -s "$3" -p "$4" -w "$tmp/raw.wav" "$5"
    sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$tmp/$1" norm -3
}

say hello.wav en-us 150 50 "Hello! This is a quick test."
say upset.wav en-us 190 80 "I told you already! This is not acceptable!"
say calm.wav en-us 120 35 "Okay. Let us go through it slowly."

# A longer clip with pauses between the sentences, for 'ser analyze --timeline' and 'ser live' demos.
sox -n -r 16000 -c 1 -b 16 "$tmp/pause.wav" trim 0 0.8
sox "$tmp/hello.wav" "$tmp/pause.wav" "$tmp/upset.wav" "$tmp/pause.wav" "$tmp/calm.wav" conversation.wav
cp "$tmp/hello.wav" "$tmp/upset.wav" "$tmp/calm.wav" .
for f in hello.wav upset.wav calm.wav conversation.wav; do
    printf '%s: %s s\n' "$f" "$(soxi -D "$f")"
done
