import CALSA
import CCrisisCueShims
import CrisisCueCore
#if canImport(Glibc)
import Glibc
#endif

/// An ALSA capture PCM (libasound directly, not PulseAudio) as a `CaptureDevice`.
///
/// Opening: non-blocking, with ALSA's own rate and channel conversion turned off
/// (`plughw:` would resample by linear interpolation with no anti-alias filter), so the
/// device gives its native format when it does not offer the wanted one (many USB
/// headsets are 48 kHz and/or stereo only) and the pipeline resamples with its own
/// filter. Period and buffer as asked when the device allows, read back as granted;
/// `start_threshold` 1, so a read never waits for a full buffer.
///
/// Reading: `snd_pcm_wait` with a timeout, then `snd_pcm_readi` of at most one period,
/// so a stalled device never hangs the caller. `-EPIPE`, `-ESTRPIPE` and `-EINTR` are
/// recovered with `snd_pcm_recover`; anything else (`-ENODEV` when a headset is pulled
/// out) reports the device lost.
///
/// Threading: one thread opens, reads and closes it.
public final class ALSACaptureDevice: CaptureDevice {
    public let name: String
    private var pcm: OpaquePointer?

    public init(name: String) {
        self.name = name
    }

    deinit { close() }

    /// Discards ALSA's library-wide stderr messages (they would corrupt a full-screen UI
    /// and repeat what the errors here already say). Process-global.
    public static func silenceLibraryMessages() { ccq_alsa_silence_errors() }

    public func open(_ request: CaptureRequest) throws(CaptureOpenError) -> CaptureFormat {
        close()
        var handle: OpaquePointer?
        let flags = SND_PCM_NONBLOCK | SND_PCM_NO_AUTO_RESAMPLE | SND_PCM_NO_AUTO_CHANNELS
        var rc = snd_pcm_open(&handle, name, SND_PCM_STREAM_CAPTURE, Int32(flags))
        guard rc >= 0, let handle else { throw CaptureOpenError(device: name, reason: Self.openReason(rc)) }
        do throws(CaptureOpenError) {
            let format = try configure(handle, request)
            rc = snd_pcm_start(handle)
            if rc < 0 && rc != -EBADFD {
                throw CaptureOpenError(device: name, reason: "cannot start capture: \(Self.text(rc))")
            }
            pcm = handle
            return format
        } catch {
            snd_pcm_close(handle)
            throw error
        }
    }

    private func configure(_ pcm: OpaquePointer, _ request: CaptureRequest) throws(CaptureOpenError) -> CaptureFormat {
        var hwp: OpaquePointer?
        snd_pcm_hw_params_malloc(&hwp)
        guard let hw = hwp else { throw CaptureOpenError(device: name, reason: "out of memory") }
        defer { snd_pcm_hw_params_free(hw) }
        func check(_ rc: Int32, _ what: String) throws(CaptureOpenError) {
            if rc < 0 { throw CaptureOpenError(device: name, reason: "\(what): \(Self.text(rc))") }
        }
        try check(snd_pcm_hw_params_any(pcm, hw), "cannot read its capabilities")
        try check(snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED), "no interleaved access")
        try check(snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE), "does not capture 16-bit PCM")

        let range = Self.ranges(pcm, hw)
        let channels: Int
        let rate: Int
        if let forced = request.forced {
            channels = forced.channels
            rate = forced.sampleRate
        } else {
            channels = snd_pcm_hw_params_test_channels(pcm, hw, UInt32(request.channels)) == 0
                ? request.channels : max(1, Int(range.channels.lowerBound))
            if snd_pcm_hw_params_test_rate(pcm, hw, UInt32(request.sampleRate), 0) == 0 {
                rate = request.sampleRate
            } else {
                // The device's native rate: the first common one it accepts, else its nearest.
                let common = [48_000, 44_100, 32_000, 96_000, 22_050, 24_000, 11_025, 8_000]
                rate = common.first { snd_pcm_hw_params_test_rate(pcm, hw, UInt32($0), 0) == 0 }
                    ?? Int(min(max(UInt32(request.sampleRate), range.rates.lowerBound), range.rates.upperBound))
            }
        }
        try check(snd_pcm_hw_params_set_channels(pcm, hw, UInt32(channels)),
                  "cannot capture \(channels) channel(s) (it accepts \(range.channels.lowerBound)-\(range.channels.upperBound))")
        try check(snd_pcm_hw_params_set_rate(pcm, hw, UInt32(rate), 0),
                  "cannot capture at \(rate) Hz (it accepts \(range.rates.lowerBound)-\(range.rates.upperBound) Hz)")
        var period = snd_pcm_uframes_t(max(1, Int((Double(rate) * request.periodSeconds).rounded())))
        var dir: Int32 = 0
        _ = snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, &dir)
        var buffer = period * snd_pcm_uframes_t(max(2, request.bufferPeriods))
        _ = snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer)
        try check(snd_pcm_hw_params(pcm, hw), "the device refused the parameters")
        _ = snd_pcm_hw_params_get_period_size(hw, &period, &dir)
        _ = snd_pcm_hw_params_get_buffer_size(hw, &buffer)

        var swp: OpaquePointer?
        snd_pcm_sw_params_malloc(&swp)
        if let sw = swp {
            defer { snd_pcm_sw_params_free(sw) }
            if snd_pcm_sw_params_current(pcm, sw) == 0 {
                _ = snd_pcm_sw_params_set_start_threshold(pcm, sw, 1)
                _ = snd_pcm_sw_params_set_avail_min(pcm, sw, period)
                _ = snd_pcm_sw_params(pcm, sw)
            }
        }
        return CaptureFormat(sampleRate: rate, channels: channels, periodFrames: Int(period), bufferFrames: Int(buffer))
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Int16>, frames: Int, timeout: Double) -> CaptureRead {
        guard let pcm else { return .lost("not open") }
        let wait = snd_pcm_wait(pcm, Int32(max(1, (timeout * 1000).rounded())))
        if wait < 0 { return fault(wait, pcm) }
        let n = snd_pcm_readi(pcm, buffer.baseAddress, snd_pcm_uframes_t(frames))
        if n > 0 { return .frames(Int(n)) }
        if n == 0 || n == -Int(EAGAIN) { return .timeout }
        return fault(Int32(n), pcm)
    }

    private func fault(_ rc: Int32, _ pcm: OpaquePointer) -> CaptureRead {
        switch -rc {
        case EPIPE, ESTRPIPE, EINTR:
            guard snd_pcm_recover(pcm, rc, 1) >= 0 else { return .lost(Self.text(rc)) }
            _ = snd_pcm_start(pcm)
            return rc == -EPIPE ? .overrun : rc == -ESTRPIPE ? .suspended : .timeout
        case EAGAIN:
            return .timeout
        default:
            return .lost(Self.text(rc))
        }
    }

    public func close() {
        if let pcm {
            snd_pcm_close(pcm)
            self.pcm = nil
        }
    }

    // MARK: helpers shared with the catalog

    static func ranges(_ pcm: OpaquePointer, _ hw: OpaquePointer) -> (rates: ClosedRange<UInt32>, channels: ClosedRange<UInt32>) {
        var rmin: UInt32 = 0, rmax: UInt32 = 0, cmin: UInt32 = 0, cmax: UInt32 = 0
        var dir: Int32 = 0
        _ = snd_pcm_hw_params_get_rate_min(hw, &rmin, &dir)
        _ = snd_pcm_hw_params_get_rate_max(hw, &rmax, &dir)
        _ = snd_pcm_hw_params_get_channels_min(hw, &cmin)
        _ = snd_pcm_hw_params_get_channels_max(hw, &cmax)
        return (min(rmin, rmax)...max(rmin, rmax), min(cmin, cmax)...max(cmin, cmax))
    }

    static func text(_ rc: Int32) -> String { String(cString: snd_strerror(rc)) }

    static func openReason(_ rc: Int32) -> String {
        switch -rc {
        case ENOENT: return "ALSA knows no PCM by that name, or its sound card is missing (\(text(rc)))"
        case EBUSY: return "the device is busy: another program is capturing from it (\(text(rc)))"
        case ENODEV, ENXIO: return "no such device: is the headset plugged in? (\(text(rc)))"
        case EACCES, EPERM: return "permission denied: is this user in the 'audio' group? (\(text(rc)))"
        default: return text(rc)
        }
    }
}
