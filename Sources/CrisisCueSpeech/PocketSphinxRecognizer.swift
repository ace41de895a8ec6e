import CPocketSphinx
import CrisisCueCore
import Foundation
import Synchronization

/// A streaming recognizer over PocketSphinx 5prealpha (Debian's `libpocketsphinx`).
///
/// Threading: create, use and release an instance on one thread; the decoder handle is
/// never shared. Model files are opened read-only (the dictionary and LM once per
/// instance). `accept` splits its input into 20 ms pieces so that the voice-activity
/// state is checked often; partial hypotheses are reported every 100 ms of speech (see
/// `UtteranceSegmenter`), finals at each utterance end with word times in call audio.
public final class PocketSphinxRecognizer: SpeechRecognizer {
    public struct Configuration: Sendable {
        public var model: AcousticModelLocation
        public var settings: DecoderSettings
        /// Keep sphinxbase's log on stderr.
        public var verbose: Bool
        public var segmenter: UtteranceSegmenter.Configuration
        /// CrisisCue's language model and telephone transform, where shipped.
        public var domain: DomainModels
        /// The channel this decoder is set up for: telephone decoders load the
        /// telephone MLLR transform (it cannot be undone on a live decoder, so a
        /// wideband call needs a decoder of its own).
        public var bandwidth: ChannelBandwidth
        public init(
            model: AcousticModelLocation, settings: DecoderSettings = .standard, verbose: Bool = false,
            segmenter: UtteranceSegmenter.Configuration = .init(), domain: DomainModels = .init(),
            bandwidth: ChannelBandwidth = .wideband
        ) {
            self.model = model
            self.settings = settings
            self.verbose = verbose
            self.segmenter = segmenter
            self.domain = domain
            self.bandwidth = bandwidth
        }

        /// The same configuration for another channel.
        public func with(bandwidth: ChannelBandwidth) -> Configuration {
            var c = self
            c.bandwidth = bandwidth
            return c
        }

        /// Where partial hypotheses come from (the `-partials` setting).
        public var partials: PartialSearch? { PartialSearch(rawValue: settings.value("-partials") ?? PartialSearch.forward.rawValue) }

        /// The decoder's argument vector (CrisisCue's own settings left out).
        public var arguments: [String] {
            var args: [(String, String)] = [
                ("-hmm", model.acousticModel),
                ("-dict", domain.dictionary ?? model.dictionary),
                ("-lm", domain.languageModel ?? model.languageModel),
                ("-samprate", "16000"),
            ]
            if bandwidth == .telephone, let mllr = domain.telephoneMLLR { args.append(("-mllr", mllr)) }
            for (name, value) in settings.adapted(to: bandwidth).options where !DecoderSettings.ownOptions.contains(name) {
                if let i = args.firstIndex(where: { $0.0 == name }) { args[i].1 = value } else { args.append((name, value)) }
            }
            if !verbose { args.append(("-logfn", "/dev/null")) }
            return args.flatMap { [$0.0, $0.1] }
        }
    }

    /// Where partial hypotheses come from.
    public enum PartialSearch: String, Sendable {
        /// The forward search's best path so far: PocketSphinx's own partial.
        case forward
        /// The language model's best path through the lattice of the utterance so far,
        /// as the final's is found: words the forward search gets wrong until the final
        /// show while the caller is still speaking.
        case lattice
    }

    public enum Failure: Error, CustomStringConvertible {
        case invalidOptions([String])
        case initFailed
        case processFailed(Int32)

        public var description: String {
            switch self {
            case .invalidOptions(let args):
                return "the speech decoder rejected its options: \(args.joined(separator: " "))"
            case .initFailed:
                return "the speech decoder failed to start (model files unreadable or inconsistent); run with --verbose for the library's log"
            case .processFailed(let code):
                return "the speech decoder failed while processing audio (code \(code))"
            }
        }
    }

    public let sampleRate = 16000
    private let decoder: OpaquePointer
    private let config: OpaquePointer
    private var segmenter: UtteranceSegmenter
    /// Samples consumed since the start of the call.
    private var samples = 0
    /// Samples waiting to make up a whole 20 ms piece.
    private var carry: [Int16] = []
    private let frameRate: Double
    /// The model's own initial cepstral mean (from its feat.params), for wideband calls.
    private var wideMean: [Float]
    /// Silences sphinxbase's global logger once per process unless verbose.
    private static let quietLog: Void = { err_set_logfp(nil) }()
    /// Decoders are created one at a time: two threads loading models at once (replay
    /// --jobs 2) deadlocked inside glibc's stdio list lock while PocketSphinx opened and
    /// closed model files (seen once on this OS: fopen's failure path for a missing
    /// optional file against another thread's fopen). Loading takes a fraction of a
    /// second and happens once per worker.
    private static let loading = Mutex(())

    /// The channel the decoder was set up for (see `Configuration.bandwidth`).
    public let bandwidth: ChannelBandwidth
    /// The n-gram search, where partials come from lattices (`-partials lattice`) and the
    /// library is laid out as this code expects; nil: the forward search's partials.
    private var latticeSearch: UnsafeMutableRawPointer?
    /// The final's language weight and acoustic scale, for the partials' best paths.
    private let bestpathWeightRatio: Float
    private let acousticScale: Float

    public init(configuration: Configuration) throws {
        try configuration.model.validate()
        guard configuration.partials != nil else { throw Failure.invalidOptions(["-partials", configuration.settings.value("-partials") ?? ""]) }
        bandwidth = configuration.bandwidth
        if !configuration.verbose { _ = Self.quietLog }
        let (config, decoder) = try Self.loading.withLock { _ in try Self.makeDecoder(configuration) }
        self.config = config
        self.decoder = decoder
        frameRate = Double(cmd_ln_int_r(config, "-frate"))
        bestpathWeightRatio = Float(cmd_ln_float_r(config, "-bestpathlw") / cmd_ln_float_r(config, "-lw"))
        acousticScale = Float(1 / cmd_ln_float_r(config, "-ascale"))
        if configuration.partials == .lattice {
            latticeSearch = crisiscue_ngram_search(decoder)
            if latticeSearch == nil && configuration.verbose {
                FileHandle.standardError.write(Data("crisiscue: this PocketSphinx is not laid out as 5prealpha; partials come from the forward search\n".utf8))
            }
        }
        segmenter = UtteranceSegmenter(configuration: configuration.segmenter)
        let feat = ps_get_feat(decoder)!
        wideMean = [Float](repeating: 0, count: Int(feat.pointee.cepsize))
        cmn_live_get(feat.pointee.cmn_struct, &wideMean)
        ps_start_stream(decoder)
        ps_start_utt(decoder)
    }

    /// Parses the options and loads the models (under `loading`).
    private static func makeDecoder(_ configuration: Configuration) throws -> (config: OpaquePointer, decoder: OpaquePointer) {
        let argv = ["crisiscue"] + configuration.arguments
        var cStrings = argv.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        guard let config = cStrings.withUnsafeMutableBufferPointer({ buffer in
            cmd_ln_parse_r(nil, ps_args(), Int32(buffer.count), buffer.baseAddress, 1)
        }) else {
            throw Failure.invalidOptions(configuration.arguments)
        }
        guard let decoder = ps_init(config) else {
            cmd_ln_free_r(config)
            throw Failure.initFailed
        }
        return (config, decoder)
    }

    public func reset(bandwidth: ChannelBandwidth) {
        ps_end_utt(decoder)
        let feat = ps_get_feat(decoder)!
        let mean = bandwidth == .telephone && wideMean.count == ChannelProfile.telephoneCepstralMean.count
            ? ChannelProfile.telephoneCepstralMean : wideMean
        cmn_live_set(feat.pointee.cmn_struct, mean)
        segmenter = UtteranceSegmenter(configuration: segmenter.configuration)
        samples = 0
        carry.removeAll(keepingCapacity: true)
        ps_start_stream(decoder)
        ps_start_utt(decoder)
    }

    deinit {
        ps_free(decoder)
        cmd_ln_free_r(config)
    }

    private var time: Double { Double(samples) / Double(sampleRate) }

    /// Audio is fed to PocketSphinx in whole 20 ms pieces of call audio, whatever the
    /// caller's block sizes (a remainder waits in `carry` for the next block), and the
    /// segmenter looks at the end of each piece: live capture (20 ms periods) and a replay
    /// of the same audio (100 ms blocks) give PocketSphinx identical input, and its live
    /// CMN, which updates per call of `ps_process_raw`, evolves identically.
    public func accept(_ input: UnsafeBufferPointer<Int16>) throws -> [RecognizerOutput] {
        var outputs: [RecognizerOutput] = []
        let piece = sampleRate / 50
        var offset = 0
        while offset < input.count {
            if carry.isEmpty && input.count - offset >= piece {
                try process(UnsafeBufferPointer(rebasing: input[offset..<(offset + piece)]), into: &outputs)
                offset += piece
                continue
            }
            let n = min(piece - carry.count, input.count - offset)
            carry.append(contentsOf: input[offset..<(offset + n)])
            offset += n
            if carry.count == piece {
                try carry.withUnsafeBufferPointer { try process($0, into: &outputs) }
                carry.removeAll(keepingCapacity: true)
            }
        }
        return outputs
    }

    private func process(_ piece: UnsafeBufferPointer<Int16>, into outputs: inout [RecognizerOutput]) throws {
        let rc = ps_process_raw(decoder, piece.baseAddress!, piece.count, 0, 0)
        if rc < 0 { throw Failure.processFailed(rc) }
        samples += piece.count
        let inSpeech = ps_get_in_speech(decoder) != 0
        for effect in segmenter.handle(inSpeech: inSpeech, at: time) {
            perform(effect, into: &outputs)
        }
    }

    public func finish() throws -> [RecognizerOutput] {
        var outputs: [RecognizerOutput] = []
        if !carry.isEmpty {
            try carry.withUnsafeBufferPointer { try process($0, into: &outputs) }
            carry.removeAll(keepingCapacity: true)
        }
        for effect in segmenter.finish() { perform(effect, into: &outputs) }
        return outputs
    }

    private func perform(_ effect: UtteranceSegmenter.Effect, into outputs: inout [RecognizerOutput]) {
        switch effect {
        case .speechStarted:
            outputs.append(.speechStarted(at: time))
        case .emitPartial:
            // Surfaced every interval while speech goes on, changed or not, so that a
            // consumer always holds a hypothesis at most one interval old.
            guard let text = currentText(), !text.isEmpty else { return }
            let words = latticeSearch.flatMap { latticeWords($0) } ?? currentWords()
            let start = words.first?.start ?? time
            outputs.append(.partial(Hypothesis(words: words, isFinal: false, start: start, end: words.last?.end ?? time, heardUntil: time)))
        case .endUtterance:
            // The forward search's best path, for when the final's lattice cannot be
            // built: an utterance cut off mid-word (a device lost, the longest utterance
            // reached) may have no word ending in its last frame that the lattice kept
            // (-maxwpf prunes word ends), and the library then gives no hypothesis at all.
            let forward = currentWords()
            ps_end_utt(decoder)
            var score: Int32 = 0
            // After the final's best path the library has the lattice's posteriors: each
            // word's probability given the audio, read as its confidence.
            let words = ps_get_hyp(decoder, &score) == nil ? forward : currentWords(posteriors: true)
            if !words.isEmpty {
                outputs.append(.final(Hypothesis(words: words, isFinal: true, start: words.first!.start, end: words.last!.end)))
            }
            ps_start_utt(decoder)
        }
    }

    /// The language model's best path through the lattice of the utterance so far, found
    /// the way the final's is (nil where no lattice can be built yet). The lattice belongs
    /// to the decoder and is rebuilt at the next call.
    private func latticeWords(_ search: UnsafeMutableRawPointer) -> [RecognizedWord]? {
        var frames: Int32 = 0, offset: Int32 = 0
        guard let dag = crisiscue_partial_lattice(decoder, search, &frames, &offset) else { return nil }
        guard ps_lattice_n_frames(dag) == frames else {
            // The frame count disagrees with the library's: stop building lattices on
            // this decoder, so that nothing is marked at the wrong frame again.
            latticeSearch = nil
            return nil
        }
        guard let name = ps_get_search(decoder), let lm = ps_get_lm(decoder, name),
            let last = ps_lattice_bestpath(dag, lm, bestpathWeightRatio, acousticScale) else { return nil }
        var reversed: [RecognizedWord] = []
        // Lattice frames count from the utterance's start (`offset` in the stream).
        func add(_ node: OpaquePointer?, start: Int32, end: Int32) {
            guard let node, let cWord = ps_latnode_word(dag, node) else { return }
            let word = String(cString: cWord)
            guard !word.hasPrefix("<"), !word.hasPrefix("["), !word.hasPrefix("++") else { return }
            let text = word.firstIndex(of: "(").map { String(word[..<$0]) } ?? word
            reversed.append(RecognizedWord(
                text: text, start: Double(start + offset) / frameRate, end: Double(end + 1 + offset) / frameRate))
        }
        var from: OpaquePointer?
        let endNode = ps_latlink_nodes(last, &from)
        var fef: Int16 = 0, lef: Int16 = 0
        add(endNode, start: Int32(ps_latnode_times(endNode, &fef, &lef)), end: Int32(lef))
        var link: OpaquePointer? = last
        while let l = link {
            var sf: Int16 = 0
            let ef = ps_latlink_times(l, &sf)
            var source: OpaquePointer?
            _ = ps_latlink_nodes(l, &source)
            add(source, start: Int32(sf), end: Int32(ef))
            link = ps_latlink_pred(l)
        }
        return reversed.reversed()
    }

    private func currentText() -> String? {
        var score: Int32 = 0
        guard let hyp = ps_get_hyp(decoder, &score) else { return nil }
        return String(cString: hyp)
    }

    /// Words of the current best path with call-audio times; fillers and silences dropped.
    /// `posteriors`: read each word's lattice posterior (only after a final's best path).
    private func currentWords(posteriors: Bool = false) -> [RecognizedWord] {
        Self.words(ps_seg_iter(decoder), frameRate: frameRate, logmath: posteriors ? ps_get_logmath(decoder) : nil)
    }

    /// The words of a segment iterator (consumed), fillers and silences dropped.
    private static func words(_ iterator: OpaquePointer?, frameRate: Double, logmath: OpaquePointer? = nil) -> [RecognizedWord] {
        // Frame numbers count from ps_start_stream, i.e. the start of the call.
        let origin = 0.0
        var words: [RecognizedWord] = []
        var seg = iterator
        while let s = seg {
            let word = String(cString: ps_seg_word(s))
            var sf: Int32 = 0, ef: Int32 = 0
            ps_seg_frames(s, &sf, &ef)
            if !word.hasPrefix("<"), !word.hasPrefix("["), !word.hasPrefix("++") {
                let text = word.firstIndex(of: "(").map { String(word[..<$0]) } ?? word
                var confidence: Double?
                if let logmath {
                    var ascr: Int32 = 0, lscr: Int32 = 0, lback: Int32 = 0
                    confidence = min(1, max(0, logmath_exp(logmath, ps_seg_prob(s, &ascr, &lscr, &lback))))
                }
                words.append(RecognizedWord(
                    text: text, start: origin + Double(sf) / frameRate, end: origin + Double(ef + 1) / frameRate,
                    confidence: confidence))
            }
            seg = ps_seg_next(s)
        }
        return words
    }
}
