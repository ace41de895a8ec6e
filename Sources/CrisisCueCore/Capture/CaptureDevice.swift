/// What a capture device is asked for: the recognizer's rate and mono by default, unless
/// `forced` pins the device format (a reopen after an unplug asks for exactly what the
/// first open granted, so the rest of the pipeline keeps its rate).
public struct CaptureRequest: Sendable, Equatable {
    public var sampleRate: Int = 16_000
    public var channels: Int = 1
    /// Period length: 10-20 ms keeps the hand-off latency low without waking too often.
    public var periodSeconds: Double = 0.02
    /// Device buffer in periods (4-8): room for a scheduling hiccup before an overrun.
    public var bufferPeriods: Int = 6
    /// When set, exactly this rate and channel count (no negotiation).
    public var forced: (sampleRate: Int, channels: Int)?

    public init() {}

    public static func == (a: Self, b: Self) -> Bool {
        a.sampleRate == b.sampleRate && a.channels == b.channels && a.periodSeconds == b.periodSeconds
            && a.bufferPeriods == b.bufferPeriods && a.forced?.sampleRate == b.forced?.sampleRate
            && a.forced?.channels == b.forced?.channels
    }
}

/// What a device granted: interleaved signed 16-bit frames at this rate and channel count.
public struct CaptureFormat: Sendable, Equatable, CustomStringConvertible {
    public var sampleRate: Int
    public var channels: Int
    public var periodFrames: Int
    public var bufferFrames: Int

    public init(sampleRate: Int, channels: Int, periodFrames: Int, bufferFrames: Int) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.periodFrames = periodFrames
        self.bufferFrames = bufferFrames
    }

    public var periodSeconds: Double { Double(periodFrames) / Double(sampleRate) }

    public var description: String {
        let ms = JSONObjectWriter.number(periodSeconds * 1000, decimals: 1)
        return "\(sampleRate) Hz, \(channels == 1 ? "mono" : channels == 2 ? "stereo" : "\(channels) channels"), "
            + "period \(periodFrames) frames (\(ms) ms), buffer \(bufferFrames) frames"
    }
}

/// The outcome of one read from a capture device.
public enum CaptureRead: Sendable, Equatable {
    /// This many frames were read into the buffer.
    case frames(Int)
    /// Nothing arrived within the timeout (the caller checks whether to stop, then reads again).
    case timeout
    /// The device's buffer overflowed (ALSA `-EPIPE`): audio was lost; the device has been
    /// recovered and reads go on.
    case overrun
    /// The device was suspended (ALSA `-ESTRPIPE`) and has been resumed.
    case suspended
    /// The device is gone (ALSA `-ENODEV`, a headset pulled out): close it and reopen later.
    case lost(String)
}

/// A device that could not be opened, in words a user can act on.
public struct CaptureOpenError: Error, CustomStringConvertible, Sendable {
    public var device: String
    public var reason: String

    public init(device: String, reason: String) {
        self.device = device
        self.reason = reason
    }

    public var description: String { "cannot open capture device '\(device)': \(reason)" }
}

/// A capture device: ALSA (real), a scripted device (tests), or a wrapper injecting faults.
///
/// Threading: created, opened, read and closed on one thread, the capture thread (a C
/// handle belongs to the thread that made it).
public protocol CaptureDevice: AnyObject {
    /// The name the user gave (`default`, `plughw:CARD=Headset,DEV=0`, ...).
    var name: String { get }
    /// Opens the device, or reopens it after `close`; returns what it granted.
    func open(_ request: CaptureRequest) throws(CaptureOpenError) -> CaptureFormat
    /// Reads at most `frames` interleaved frames into `buffer`, waiting at most `timeout`
    /// seconds. Recovers what can be recovered itself and says so in the result.
    func read(into buffer: UnsafeMutableBufferPointer<Int16>, frames: Int, timeout: Double) -> CaptureRead
    func close()
}
