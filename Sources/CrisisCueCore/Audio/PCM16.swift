/// Conversion of `Float` samples in [-1, 1] to the 16-bit PCM a recognizer consumes.
public enum PCM16 {
    /// Appends `input` as clipped, rounded 16-bit samples to `output`.
    public static func convert(_ input: [Float], into output: inout [Int16]) {
        output.reserveCapacity(output.count + input.count)
        for x in input {
            let scaled = (x * 32768).rounded()
            output.append(Int16(max(-32768, min(32767, scaled))))
        }
    }
}
