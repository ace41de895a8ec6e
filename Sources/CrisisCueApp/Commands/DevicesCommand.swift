import ArgumentParser
import CrisisCueAudioIO
import CrisisCueCore

/// `crisiscue devices`: the ALSA capture devices and what they accept.
public struct DevicesCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List ALSA capture devices and sound cards with the rates and channel counts they accept.")

    @Option(help: "Output format: text or jsonl (one object per device or card).")
    public var format: OutputFormat = .text

    @Flag(help: "Also list the PCMs of ALSA's configuration that cannot be opened here (surround, iec958, ...).")
    public var all = false

    @Flag(help: "Show ALSA's own messages on stderr.")
    public var verbose = false

    public init() {}

    public func validate() throws {
        if format == .ui { throw ValidationError("--format ui is not available for devices; use text or jsonl") }
    }

    public func run() throws {
        if !verbose { ALSACaptureDevice.silenceLibraryMessages() }
        let cards = ALSADeviceCatalog.cards()
        let every = ALSADeviceCatalog.capturePCMs(cards: cards)
        // ALSA's stock configuration defines a dozen card-dependent PCMs; unless asked,
        // list only what opens, what ALSA hints at, and `default` (whatever its state).
        let pcms = all ? every : every.filter { $0.problem == nil || $0.origin != .configuration || $0.name == "default" }
        let hidden = every.count - pcms.count
        switch format {
        case .jsonl, .ui:
            var lines: [String] = []
            for card in cards {
                var o = JSONObjectWriter()
                o.add("type", .string("card"))
                o.add("index", .int(card.index))
                o.add("id", .string(card.id))
                o.add("name", .string(card.name))
                o.add("capture_devices", .array(card.captureDevices.map { .int($0) }))
                lines.append(o.text)
            }
            for pcm in pcms {
                var o = JSONObjectWriter()
                o.add("type", .string("pcm"))
                o.add("name", .string(pcm.name))
                o.add("description", .string(pcm.description))
                o.add("opens", .bool(pcm.problem == nil))
                if let r = pcm.rates { o.add("rate_min", .int(r.lowerBound)); o.add("rate_max", .int(r.upperBound)) }
                if let c = pcm.channels { o.add("channels_min", .int(c.lowerBound)); o.add("channels_max", .int(c.upperBound)) }
                o.add("common_rates", .array(pcm.commonRates.map { .int($0) }))
                if let p = pcm.problem { o.add("problem", .string(p)) }
                lines.append(o.text)
            }
            LineWriter.standardOutput.write(lines)
        case .text:
            var lines = ["Sound cards:"]
            if cards.isEmpty { lines.append("  none (no sound card on this machine; ALSA PCMs defined in configuration files still work)") }
            for card in cards {
                let devs = card.captureDevices.isEmpty ? "no capture devices" : "capture devices " + card.captureDevices.map(String.init).joined(separator: ", ")
                lines.append("  \(card.index) [\(card.id)] \(card.name): \(devs)")
            }
            lines.append("Capture PCMs (use the name with --device):")
            for pcm in pcms {
                var line = "  \(pcm.name)"
                if let p = pcm.problem {
                    line += ": cannot open: \(p)"
                } else {
                    line += ": " + Self.describe(pcm)
                }
                if !pcm.description.isEmpty { line += "  [\(pcm.description)]" }
                lines.append(line)
            }
            if pcms.isEmpty { lines.append("  none") }
            if hidden > 0 { lines.append("  (\(hidden) more defined in ALSA's configuration cannot be opened here; --all lists them)") }
            LineWriter.standardOutput.write(lines)
        }
    }

    static func describe(_ pcm: ALSADeviceCatalog.PCM) -> String {
        var parts: [String] = []
        if let r = pcm.rates {
            parts.append(r.upperBound >= 1_000_000 ? "any rate" : r.lowerBound == r.upperBound ? "\(r.lowerBound) Hz" : "\(r.lowerBound)-\(r.upperBound) Hz")
        }
        if let c = pcm.channels {
            parts.append(c.upperBound >= 1024 ? "any channel count" : c.lowerBound == c.upperBound ? "\(c.lowerBound) channel(s)" : "\(c.lowerBound)-\(c.upperBound) channels")
        }
        if !pcm.commonRates.isEmpty, let r = pcm.rates, r.upperBound < 1_000_000 {
            parts.append("common rates " + pcm.commonRates.map(String.init).joined(separator: ", "))
        }
        return parts.joined(separator: ", ")
    }
}
