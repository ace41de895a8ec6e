import CrisisCueCore

/// PocketSphinx decoder options, as `-name value` pairs in a fixed order.
///
/// `standard` is what CrisisCue ships: the measured trade-off between speed and word
/// error rate (see the README's benchmark section for the figures behind it).
public struct DecoderSettings: Equatable, Sendable {
    public var options: [(String, String)]

    public init(_ options: [(String, String)]) { self.options = options }

    public static func == (a: Self, b: Self) -> Bool {
        a.options.map { $0.0 + "=" + $0.1 } == b.options.map { $0.0 + "=" + $0.1 }
    }

    /// Overrides or adds options (later wins).
    public func merging(_ other: [(String, String)]) -> DecoderSettings {
        var result = options
        for (name, value) in other {
            if let i = result.firstIndex(where: { $0.0 == name }) { result[i].1 = value }
            else { result.append((name, value)) }
        }
        return DecoderSettings(result)
    }

    /// Settings CrisisCue reads itself, given the same way as PocketSphinx's options:
    /// `-partials lattice|forward` (see `PocketSphinxRecognizer.PartialSearch`).
    public static let ownOptions: Set<String> = ["-partials"]

    /// PocketSphinx's own defaults (what `pocketsphinx_continuous` uses).
    public static let libraryDefaults = DecoderSettings([])

    /// CrisisCue's shipped settings.
    /// Measured on the tuning calls against `pocketsphinx_continuous`'s defaults: dropping
    /// the flat-lexicon second pass and capping active HMMs per frame halves the CPU cost,
    /// while the phone-loop lookahead (with wider beams) wins back the accuracy the cap loses.
    public static let standard = DecoderSettings([
        // The flat-lexicon second pass: dev split 0.667 -> 0.756 but tuning 0.744 -> 0.722,
        // and it runs at the utterance's end (the final comes later); with no HMM cap as
        // well, dev 0.711. Not kept.
        ("-fwdflat", "no"),
        ("-bestpath", "yes"),
        // 10000 active HMMs a frame, not 4000: the tighter cap cost intent accuracy on
        // calls the LM has not seen (dev split 0.667 -> 0.711, tuning 0.744 -> 0.789,
        // real-time factor 0.10 -> 0.15); no cap at all (RTF 0.22-0.24) added one call.
        ("-maxhmmpf", "10000"),
        // At most 20 word exits a frame (default: no limit). On the 8 kHz dev / dev2 /
        // held-out-voice calls: accuracy 0.711 / 0.713 / 0.563 -> 0.733 / 0.725 / 0.575,
        // unsafe transfers unchanged; on their stereo renderings (mixed) 133 -> 131 calls
        // of 205 right, unsafe 5 -> 6: no change beyond noise, for a real-time factor of
        // 0.13 -> 0.11; and the lattices
        // (the final's, and `-partials lattice`'s) are smaller. 10 cost dev two calls
        // (with lattice partials: 0.756 / 2 -> 0.711 / 4).
        ("-maxwpf", "20"),
        ("-pl_window", "5"),
        ("-pl_beam", "1e-8"),
        ("-pl_pbeam", "1e-8"),
        // An utterance ends after 0.25 s of non-speech instead of PocketSphinx's 0.5 s:
        // finals (the lattice's rescored best path, which finds words partials miss)
        // come sooner and per sentence rather than per turn. Measured on the tuning and
        // dev splits (README, "Accuracy"): accuracy up on both, the slowest indicators
        // 2-3x sooner; 0.2 s lost accuracy on the tuning split.
        ("-vad_postspeech", "25"),
        // Partials from the forward search, PocketSphinx's own. `lattice` (partials from
        // the lattice of the utterance so far, rescored as the final is) shows the slow
        // tail of indicators sooner (90th percentile 1.62 -> 1.20 s on dev2, 1.30 -> 1.03 s
        // on the held-out voices) but got fewer calls right: 8 kHz mono dev / dev2 /
        // held-out 33 / 58 / 46 -> 34 / 56 / 45, stereo 32 / 57 / 42 -> 30 / 55 / 44;
        // 268 -> 264 of 410 in all, unsafe 12 -> 10 (README, "Recognition settings").
        // Stop 25, with its intent model, on dev13-dev16 (320 calls): 191 -> 188 right,
        // unsafe 10 -> 17, the suggestion tail still over 2 s (docs/history.md, "Stop 25").
        ("-partials", "forward"),
    ])

    /// Where a wideband (16 kHz) call's decoder differs from `standard`. The shorter
    /// utterances and the wider HMM cap were measured on telephone calls; on the dev
    /// split rendered at 16 kHz they cost two calls (0.844 -> 0.800), and these two
    /// settings back at their earlier values win them back (0.844).
    public static let widebandChanges: [(String, String)] = [("-maxhmmpf", "4000"), ("-vad_postspeech", "50")]

    /// The value of an option, if set.
    public func value(_ name: String) -> String? { options.first { $0.0 == name }?.1 }

    /// These settings for a channel: a wideband decoder takes `widebandChanges` for the
    /// options still at their `standard` value (an option given explicitly stays).
    public func adapted(to bandwidth: ChannelBandwidth) -> DecoderSettings {
        guard bandwidth == .wideband else { return self }
        return merging(Self.widebandChanges.filter { value($0.0) == Self.standard.value($0.0) })
    }

    /// Parses `name=value,name=value` (names with or without the leading dash).
    public static func parse(_ text: String) -> [(String, String)]? {
        var result: [(String, String)] = []
        for item in text.split(separator: ",") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let name = parts[0].hasPrefix("-") ? String(parts[0]) : "-" + parts[0]
            result.append((name, String(parts[1])))
        }
        return result
    }
}
