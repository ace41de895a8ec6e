/// A capture device that plays samples held in memory: the scripted implementation for
/// tests. It offers only the formats it is told to (e.g. 48 kHz stereo, like many USB
/// headsets), so format negotiation is exercised too. After the samples, reads return
/// silence (as a live line would) unless `endless` is false, then `.timeout`.
public final class ScriptedCaptureDevice: CaptureDevice {
    public let name: String
    /// Interleaved samples at `offeredRate` x `offeredChannels`.
    private let samples: [Int16]
    public let offeredRate: Int
    public let offeredChannels: Int
    private let endless: Bool
    private var position = 0
    public private(set) var isOpen = false
    public private(set) var opens = 0
    private var format: CaptureFormat?

    public init(name: String = "scripted", samples: [Int16], rate: Int, channels: Int = 1, endless: Bool = true) {
        self.name = name
        self.samples = samples
        offeredRate = rate
        offeredChannels = channels
        self.endless = endless
    }

    public func open(_ request: CaptureRequest) throws(CaptureOpenError) -> CaptureFormat {
        if let forced = request.forced, forced != (offeredRate, offeredChannels) {
            throw CaptureOpenError(device: name, reason: "offers only \(offeredRate) Hz x \(offeredChannels)")
        }
        let period = max(1, Int(Double(offeredRate) * request.periodSeconds))
        let f = CaptureFormat(
            sampleRate: offeredRate, channels: offeredChannels, periodFrames: period, bufferFrames: period * request.bufferPeriods)
        format = f
        isOpen = true
        opens += 1
        return f
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Int16>, frames: Int, timeout: Double) -> CaptureRead {
        guard isOpen, let format else { return .lost("not open") }
        let wanted = min(frames, buffer.count / format.channels) * format.channels
        let available = samples.count - position
        if available <= 0 && !endless { return .timeout }
        let n = max(0, min(wanted, available))
        for i in 0..<n { buffer[i] = samples[position + i] }
        for i in n..<wanted { buffer[i] = 0 }
        position += n
        return .frames(wanted / format.channels)
    }

    public func close() { isOpen = false }
}

/// Wraps a device and injects the faults real hardware produces, at chosen reads:
/// overruns, suspends, and an unplug that makes the next `failedOpens` reopen attempts
/// fail before the device comes back. Proper code for tests and fault drills.
public final class FaultInjectingCaptureDevice: CaptureDevice {
    public enum Fault: Sendable, Equatable {
        /// The read reports an overrun; `lostFrames` of the wrapped audio are skipped.
        case overrun(lostFrames: Int)
        case suspend
        /// The device disappears; `failedOpens` reopen attempts fail, then it is back.
        case unplug(failedOpens: Int)
    }

    private let wrapped: CaptureDevice
    /// Faults by read number (counting from 0 over the device's whole life).
    private var script: [Int: Fault]
    private var reads = 0
    private var failOpens = 0
    private var scratch: [Int16] = []
    public var name: String { wrapped.name }

    public init(wrapping device: CaptureDevice, faults: [Int: Fault]) {
        wrapped = device
        script = faults
    }

    public func open(_ request: CaptureRequest) throws(CaptureOpenError) -> CaptureFormat {
        if failOpens > 0 {
            failOpens -= 1
            throw CaptureOpenError(device: name, reason: "No such device")
        }
        return try wrapped.open(request)
    }

    public func read(into buffer: UnsafeMutableBufferPointer<Int16>, frames: Int, timeout: Double) -> CaptureRead {
        defer { reads += 1 }
        guard let fault = script.removeValue(forKey: reads) else {
            return wrapped.read(into: buffer, frames: frames, timeout: timeout)
        }
        switch fault {
        case .overrun(let lost):
            // Audio the device captured but nobody read in time: consumed and thrown away.
            var left = lost
            while left > 0 {
                let n = min(left, frames)
                if scratch.count < buffer.count { scratch = Array(repeating: 0, count: buffer.count) }
                let r = scratch.withUnsafeMutableBufferPointer { wrapped.read(into: $0, frames: n, timeout: timeout) }
                guard case .frames(let got) = r, got > 0 else { break }
                left -= got
            }
            return .overrun
        case .suspend:
            return .suspended
        case .unplug(let failedOpens):
            failOpens = failedOpens
            return .lost("No such device (unplugged)")
        }
    }

    public func close() { wrapped.close() }
}
