import ArgumentParser
import CrisisCueCore
import CrisisCueSpeech

/// Options that choose and tune the speech model, shared by the commands that recognise.
public struct ModelOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("model-dir"), help: ArgumentHelp(
        "Folder of the PocketSphinx en-us model (default: pkg-config's modeldir).", valueName: "DIR"))
    public var modelDir: String?

    @Option(name: .customLong("decoder-options"), help: ArgumentHelp(
        "Extra PocketSphinx options, e.g. 'beam=1e-40,fwdflat=yes', and CrisisCue's own 'partials=forward|lattice' (for benchmarking).", valueName: "LIST",
        visibility: .hidden))
    public var decoderOptions: String?

    @Flag(name: .customLong("stock-models"), help: ArgumentHelp(
        "Decode with PocketSphinx's stock language model and no telephone transform (for comparison).",
        visibility: .hidden))
    public var stockModels = false

    @Option(name: .customLong("partial-interval"), help: ArgumentHelp(
        "Seconds of speech between partial hypotheses (latency against CPU; for benchmarking).", visibility: .hidden))
    public var partialInterval: Double?

    @Flag(help: "Show the speech library's own log on stderr.")
    public var verbose = false

    public init() {}

    public func validate() throws {
        if let decoderOptions, DecoderSettings.parse(decoderOptions) == nil {
            throw ValidationError("--decoder-options must be name=value pairs separated by commas")
        }
        if let partialInterval, !(0.02...2).contains(partialInterval) {
            throw ValidationError("--partial-interval must be between 0.02 and 2 seconds")
        }
    }

    /// The recognizer configuration, with the model resolved and checked.
    public func recognizerConfiguration() throws -> PocketSphinxRecognizer.Configuration {
        let root = modelDir ?? AcousticModelLocation.systemModelRoot()
        let model = try AcousticModelLocation.resolve(root: root)
        let extra = decoderOptions.flatMap(DecoderSettings.parse) ?? []
        let domain = stockModels ? DomainModels() : ModelFolder.locate().map(DomainModels.found(in:)) ?? DomainModels()
        var segmenter = UtteranceSegmenter.Configuration()
        if let partialInterval { segmenter.partialInterval = partialInterval }
        return PocketSphinxRecognizer.Configuration(
            model: model, settings: DecoderSettings.standard.merging(extra), verbose: verbose, segmenter: segmenter, domain: domain)
    }
}

extension ModelOptions {
    /// The recognizer configuration and the intent model, or exit status 1 with the
    /// problem (file and line for a malformed intent model) on stderr.
    func load(_ intent: IntentOptions) throws -> (PocketSphinxRecognizer.Configuration, IntentModel) {
        do {
            let intentModel = try intent.model()
            return (try recognizerConfiguration(), intentModel)
        } catch {
            LineWriter.standardError.write("crisiscue: \(error)")
            throw ExitCode(1)
        }
    }
}
