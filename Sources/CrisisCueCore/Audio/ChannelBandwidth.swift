/// The audio channel a call came through, which decides how the recognizer starts its
/// channel normalisation (the acoustic model is wideband; telephone audio is not).
public enum ChannelBandwidth: String, Sendable, CaseIterable {
    /// 16 kHz or more of real bandwidth: a headset, a wideband recorder.
    case wideband
    /// Narrowband telephone audio (G.711, 300-3400 Hz), whatever rate it is stored at.
    case telephone

    /// The bandwidth implied by a source's sample rate: anything stored at 11.025 kHz or
    /// below cannot carry more than telephone bandwidth.
    public static func forSampleRate(_ rate: Int) -> ChannelBandwidth {
        rate <= 11025 ? .telephone : .wideband
    }
}
