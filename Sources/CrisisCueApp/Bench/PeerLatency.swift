#if canImport(Glibc)
import Glibc
#endif
import CrisisCueAudioIO
import CrisisCueCore
import Foundation
import Synchronization

/// `pocketsphinx_continuous` fed the same audio at 1x through a FIFO, with the moment
/// each hypothesis line it prints arrives: the peer a user would otherwise script around.
/// It prints a hypothesis only after about 0.5 s of trailing silence, so the text of a
/// phrase becomes available at the first line printed after the phrase ends.
enum PeerLatency {
    struct Run {
        /// Call-time seconds (from the first sample written) at which each line arrived.
        var lineTimes: [Double]
        var lines: [String]
    }

    /// `samples` mono at `rate`; decoded by the peer at 16 kHz (upsampled here as
    /// `benchmark-spine` does with sox). `cancelled` is checked every 20 ms: the audio
    /// stops there and the peer's lines so far are returned.
    static func run(
        samples: [Float], rate: Int, workDirectory: String, cancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> Run {
        var resampler = Resampler(inputRate: rate, outputRate: 16_000)
        var wide: [Float] = []
        resampler.process(samples, into: &wide)
        resampler.flush(into: &wide)
        var converted: [Int16] = []
        PCM16.convert(wide, into: &converted)
        let pcm = converted
        let fifo = workDirectory + "/peer.raw"
        unlink(fifo)
        guard mkfifo(fifo, 0o600) == 0 else { throw PeerError.setup("mkfifo \(fifo): \(String(cString: strerror(errno)))") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
        process.arguments = ["-oL", "pocketsphinx_continuous", "-infile", fifo, "-logfn", "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw PeerError.setup("cannot start pocketsphinx_continuous (package pocketsphinx): \(error)") }
        let clock = MonotonicClock()
        let origin = Mutex<Double?>(nil)
        let feeder = Thread {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            defer { close(fd) }
            let chunk = 320  // 20 ms at 16 kHz
            let start = clock.now()
            origin.withLock { $0 = start }
            var offset = 0
            while offset < pcm.count, !cancelled() {
                let n = min(chunk, pcm.count - offset)
                let ok = pcm.withUnsafeBytes { raw -> Bool in
                    let base = raw.baseAddress! + offset * 2
                    var done = 0
                    while done < n * 2 {
                        let w = write(fd, base + done, n * 2 - done)
                        if w <= 0 { if errno == EINTR { continue }; return false }
                        done += w
                    }
                    return true
                }
                if !ok { return }
                offset += n
                clock.sleep(until: start + Double(offset) / 16_000)
            }
        }
        feeder.start()
        var lines: [String] = []
        var times: [Double] = []
        var pending = Data()
        let handle = out.fileHandleForReading
        while true {
            let data = handle.availableData
            if data.isEmpty { break }
            let now = clock.now()
            pending.append(data)
            while let nl = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...nl)
                guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                lines.append(line)
                times.append(now - (origin.withLock { $0 } ?? now))
            }
        }
        process.waitUntilExit()
        unlink(fifo)
        return Run(lineTimes: times, lines: lines)
    }

    /// Seconds from call time `end` to the first peer line printed after it.
    static func latency(after end: Double, in run: Run) -> Double? {
        run.lineTimes.first { $0 >= end }.map { $0 - end }
    }

    enum PeerError: Error, CustomStringConvertible {
        case setup(String)
        var description: String {
            switch self { case .setup(let s): s }
        }
    }
}
