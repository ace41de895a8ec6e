/// Channel-specific starting points for the en-us model's live cepstral mean
/// normalisation.
///
/// PocketSphinx starts each stream from the model's `-cmninit`, the mean of its wideband
/// training audio, and adapts slowly (over about 5 s of speech). Telephone audio
/// upsampled to 16 kHz has no energy above 4 kHz, so its cepstral mean is far from that
/// (c1 about +35 instead of -5): the first utterances of every call were decoded against
/// the wrong mean. Starting telephone calls from a telephone mean removes that.
public enum ChannelProfile {
    /// The mean of the adapted CMN vectors at the end of 12 calls of the tune split's
    /// 8 kHz mu-law variant (band-limited 300-3400 Hz, upsampled to 16 kHz), read from
    /// PocketSphinx's "Update to" log lines. Channel, not voice, dominates it: the value
    /// moves by about 2 between calls and voices, by 40 between channels.
    /// Measured effect (tune split, 8 calls, peer decoder defaults): WER 0.686 -> 0.634.
    public static let telephoneCepstralMean: [Float] = [
        45.64, 35.05, -48.47, 31.02, -24.70, -27.18, 13.69, -41.53, -1.40, -8.15, -24.36, 6.29, -17.81,
    ]
}
