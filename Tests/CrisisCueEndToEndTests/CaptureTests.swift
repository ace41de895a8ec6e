import CrisisCueAudioIO
import CrisisCueCore
import Foundation
import Testing

@Suite("Live capture: the capture thread, faults, and saved audio")
struct CaptureTests {
    /// A 48 kHz stereo-only "headset" playing a ramp on the left and its negation on the right.
    static func headset(seconds: Double = 1) -> [Int16] {
        let frames = Int(48_000 * seconds)
        return (0..<frames).flatMap { i -> [Int16] in
            let v = Int16(truncatingIfNeeded: i % 20_000)
            return [v, -v]
        }
    }

    func drain(_ source: LiveAudioSource, limit: Int = 1_000_000) throws -> (samples: [Float], notices: [SourceNotice]) {
        var all: [Float] = []
        var notices: [SourceNotice] = []
        var block: [Float] = []
        while try source.read(into: &block), all.count < limit {
            all += block
            notices += source.takeNotices()
        }
        notices += source.takeNotices()
        return (all, notices)
    }

    @Test("a 48 kHz stereo-only device is opened as it is, and the caller's side arrives intact and in order")
    func nativeFormat() throws {
        let samples = Self.headset(seconds: 0.5)
        var options = CaptureLoop.Options()
        options.pacing = .fast
        let loop = CaptureLoop(options: options) {
            ScriptedCaptureDevice(samples: samples, rate: 48_000, channels: 2, endless: false)
        }
        let (ring, format) = try loop.start()
        #expect(format.sampleRate == 48_000 && format.channels == 2 && format.periodFrames == 960)
        let source = LiveAudioSource(
            ring: ring, format: format, device: "scripted", channel: .left, clock: MonotonicClock(), maxSeconds: 0.5,
            stopCapture: { loop.stop() })
        let (got, notices) = try drain(source)
        #expect(notices.isEmpty)
        #expect(got.count == 24_000)
        #expect(got.enumerated().allSatisfy { Int(($0.element * 32768).rounded()) == $0.offset % 20_000 })
        #expect(loop.join(timeout: 2))
    }

    @Test("an overrun and an unplug with two failed reopenings: counted, reported in order, and capture goes on")
    func faults() throws {
        var options = CaptureLoop.Options()
        options.pacing = .fast
        options.backoff = [0.01, 0.02]
        let samples = Self.headset(seconds: 2)
        let loop = CaptureLoop(options: options) {
            FaultInjectingCaptureDevice(
                wrapping: ScriptedCaptureDevice(samples: samples, rate: 48_000, channels: 2),
                faults: [5: .overrun(lostFrames: 960), 20: .unplug(failedOpens: 2), 30: .suspend])
        }
        let (ring, format) = try loop.start()
        let source = LiveAudioSource(
            ring: ring, format: format, device: "scripted", channel: .left, clock: MonotonicClock(), maxSeconds: 1,
            stopCapture: { loop.stop() })
        let (got, notices) = try drain(source)
        #expect(notices.map(\.state) == [.overrun, .lost, .restored, .suspended])
        #expect(got.count == 48_000)
        #expect(loop.join(timeout: 2))
        #expect(loop.statistics.overruns.load(ordering: .relaxed) == 1)
        #expect(loop.statistics.losses.load(ordering: .relaxed) == 1)
        #expect(loop.statistics.reopenings.load(ordering: .relaxed) == 1)
        // The overrun lost one period of the ramp: the sample after it jumps by 960.
        let values = got.map { Int(($0 * 32768).rounded()) }
        let jumps = zip(values, values.dropFirst()).filter { $1 != ($0 + 1) % 20_000 }.count
        #expect(jumps >= 1)
    }

    @Test("a device that never comes back: stop() still ends the capture thread within a second")
    func stopWhileLost() throws {
        var options = CaptureLoop.Options()
        options.backoff = [0.05]
        let loop = CaptureLoop(options: options) {
            FaultInjectingCaptureDevice(
                wrapping: ScriptedCaptureDevice(samples: [], rate: 16_000), faults: [0: .unplug(failedOpens: .max)])
        }
        let (ring, _) = try loop.start()
        Thread.sleep(forTimeInterval: 0.2)
        let asked = Date()
        loop.stop()
        #expect(loop.join(timeout: 1))
        #expect(Date().timeIntervalSince(asked) < 1)
        // The decoder side sees the loss and the end.
        var seen: [CaptureNotice] = []
        while let (slot, _) = ring.take(timeout: 0) {
            if let n = slot.notice { seen.append(n) }
            ring.release()
        }
        #expect(seen.first == .lost(message: "No such device (unplugged)"))
        #expect(seen.last == .ended)
    }

    @Test("a device that cannot be opened: start() throws at once, naming it")
    func openFailure() {
        let loop = CaptureLoop(options: .init()) { ALSACaptureDevice(name: "crisiscue_no_such_pcm") }
        #expect {
            _ = try loop.start()
        } throws: { error in
            "\(error)".contains("crisiscue_no_such_pcm")
        }
        #expect(loop.isFinished)
    }

    @Test("the saved WAV is complete at every moment, as if the process were killed after each block")
    func recorder() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/saved.wav"
        let recorder = try WAVRecorder(path: path, sampleRate: 48_000, channels: 2)
        let block = Self.headset(seconds: 0.02)
        for n in 1...5 {
            block.withUnsafeBufferPointer { recorder.append($0) }
            // Read it back while still open: the header already declares everything written.
            let source = try WAVFileSource(path: path, channel: .left)
            #expect(source.format == WAVFormat(encoding: .pcm(containerBits: 16), channels: 2, sampleRate: 48_000))
            var all: [Float] = []
            var b: [Float] = []
            while try source.read(into: &b) { all += b }
            #expect(all.count == 960 * n)
            #expect(source.problemAfterEnd == nil)
        }
        recorder.close()
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
