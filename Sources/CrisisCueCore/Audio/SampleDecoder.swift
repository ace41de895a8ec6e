/// Which part of a multi-channel recording is the audio to recognise.
public enum ChannelSelection: String, CaseIterable, Sendable {
    /// The first channel (where many recorders put the caller).
    case left
    /// The second channel; the only channel of a mono file.
    case right
    /// The mean of all channels.
    case mix
}

/// Converts interleaved encoded frames to mono `Float` samples in [-1, 1].
public struct SampleDecoder: Sendable {
    public let format: WAVFormat
    public let selection: ChannelSelection
    private let table: [Float]

    public init(format: WAVFormat, selection: ChannelSelection) {
        self.format = format
        self.selection = selection
        switch format.encoding {
        case .muLaw: table = G711.muLawTable.map { Float($0) / 32768 }
        case .aLaw: table = G711.aLawTable.map { Float($0) / 32768 }
        case .pcm(8): table = (0..<256).map { (Float($0) - 128) / 128 }
        default: table = []
        }
    }

    /// Decodes `bytes.count / blockAlign` whole frames, appending one mono sample per
    /// frame to `output`. Trailing bytes of a partial frame are ignored.
    public func decode(_ bytes: UnsafeRawBufferPointer, into output: inout [Float]) {
        let channels = format.channels
        let width = format.encoding.bytesPerSample
        let frames = bytes.count / format.blockAlign
        guard frames > 0 else { return }
        let (first, count): (Int, Int) = switch selection {
        case .left: (0, 1)
        case .right: (channels > 1 ? 1 : 0, 1)
        case .mix: (0, channels)
        }
        let scale = 1 / Float(count)
        output.reserveCapacity(output.count + frames)
        let base = bytes.baseAddress!
        for frame in 0..<frames {
            var sum: Float = 0
            let frameStart = base + frame * format.blockAlign
            for c in first..<(first + count) {
                sum += sample(at: frameStart + c * width)
            }
            output.append(count == 1 ? sum : sum * scale)
        }
    }

    @inline(__always)
    private func sample(at p: UnsafeRawPointer) -> Float {
        switch format.encoding {
        case .muLaw, .aLaw, .pcm(8):
            return table[Int(p.load(as: UInt8.self))]
        case .pcm(16):
            return Float(Int16(littleEndian: p.loadUnaligned(as: Int16.self))) / 32768
        case .pcm(24):
            let b0 = UInt32(p.load(fromByteOffset: 0, as: UInt8.self))
            let b1 = UInt32(p.load(fromByteOffset: 1, as: UInt8.self))
            let b2 = UInt32(p.load(fromByteOffset: 2, as: UInt8.self))
            let v = Int32(bitPattern: (b0 << 8) | (b1 << 16) | (b2 << 24)) >> 8
            return Float(v) / 8_388_608
        case .pcm:
            return Float(Int32(littleEndian: p.loadUnaligned(as: Int32.self))) / 2_147_483_648
        case .float(32):
            let v = Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
            return v.isFinite ? v : 0
        case .float:
            let v = Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)))
            return v.isFinite ? Float(v) : 0
        }
    }
}
