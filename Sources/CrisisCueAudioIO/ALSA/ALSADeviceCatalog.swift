import CALSA
import CrisisCueCore
#if canImport(Glibc)
import Glibc
#endif

/// What `crisiscue devices` lists: the capture PCMs ALSA knows (hinted ones, and ones
/// defined in configuration files such as `~/.asoundrc`), the sound cards with their
/// capture devices, and for each PCM the rates and channel counts it accepts natively.
public enum ALSADeviceCatalog {
    public struct PCM: Sendable, Equatable {
        public enum Origin: String, Sendable { case card, hint, configuration }
        public var name: String
        public var origin: Origin = .configuration
        public var description: String
        /// Native ranges (no ALSA rate or channel conversion), or why it could not be opened.
        public var rates: ClosedRange<Int>?
        public var channels: ClosedRange<Int>?
        /// Common telephony and audio rates the device accepts as they are.
        public var commonRates: [Int]
        public var problem: String?
    }

    public struct Card: Sendable, Equatable {
        public var index: Int
        public var id: String
        public var name: String
        /// Capture device numbers on the card.
        public var captureDevices: [Int]
    }

    public static let commonRates = [8_000, 16_000, 22_050, 32_000, 44_100, 48_000, 96_000]

    /// Sound cards with their capture devices.
    public static func cards() -> [Card] {
        var cards: [Card] = []
        var index: Int32 = -1
        while snd_card_next(&index) == 0, index >= 0 {
            var ctl: OpaquePointer?
            guard snd_ctl_open(&ctl, "hw:\(index)", 0) == 0, let ctl else { continue }
            defer { snd_ctl_close(ctl) }
            var infoPointer: OpaquePointer?
            snd_ctl_card_info_malloc(&infoPointer)
            guard let info = infoPointer else { continue }
            defer { snd_ctl_card_info_free(info) }
            guard snd_ctl_card_info(ctl, info) == 0 else { continue }
            var card = Card(
                index: Int(index), id: String(cString: snd_ctl_card_info_get_id(info)),
                name: String(cString: snd_ctl_card_info_get_name(info)), captureDevices: [])
            var pcmInfoPointer: OpaquePointer?
            snd_pcm_info_malloc(&pcmInfoPointer)
            if let pcmInfo = pcmInfoPointer {
                var device: Int32 = -1
                while snd_ctl_pcm_next_device(ctl, &device) == 0, device >= 0 {
                    snd_pcm_info_set_device(pcmInfo, UInt32(device))
                    snd_pcm_info_set_subdevice(pcmInfo, 0)
                    snd_pcm_info_set_stream(pcmInfo, SND_PCM_STREAM_CAPTURE)
                    if snd_ctl_pcm_info(ctl, pcmInfo) == 0 { card.captureDevices.append(Int(device)) }
                }
                snd_pcm_info_free(pcmInfo)
            }
            cards.append(card)
        }
        return cards
    }

    /// Capture PCM names: the cards' `plughw:`/`hw:` devices by card name, ALSA's hints,
    /// and PCMs defined in configuration without arguments; each probed.
    public static func capturePCMs(cards: [Card]) -> [PCM] {
        var names: [(String, String, PCM.Origin)] = []
        for card in cards {
            for d in card.captureDevices {
                names.append(("hw:CARD=\(card.id),DEV=\(d)", "\(card.name), device \(d) (hardware)", .card))
                names.append(("plughw:CARD=\(card.id),DEV=\(d)", "\(card.name), device \(d) (with format conversion)", .card))
            }
        }
        names += hinted().map { ($0.0, $0.1, .hint) } + configured().map { ($0.0, $0.1, .configuration) }
        var seen = Set<String>()
        var out: [PCM] = []
        for (name, description, origin) in names where !seen.contains(name) && !["null", "cards"].contains(name) {
            seen.insert(name)
            var pcm = probe(name, description: description)
            pcm.origin = origin
            out.append(pcm)
        }
        return out
    }

    /// Opens `name` for capture and reads what it accepts natively.
    public static func probe(_ name: String, description: String = "") -> PCM {
        var pcm = PCM(name: name, description: description, rates: nil, channels: nil, commonRates: [], problem: nil)
        var handle: OpaquePointer?
        let flags = SND_PCM_NONBLOCK | SND_PCM_NO_AUTO_RESAMPLE | SND_PCM_NO_AUTO_CHANNELS
        let rc = snd_pcm_open(&handle, name, SND_PCM_STREAM_CAPTURE, Int32(flags))
        guard rc >= 0, let handle else {
            pcm.problem = ALSACaptureDevice.openReason(rc)
            return pcm
        }
        defer { snd_pcm_close(handle) }
        var hwp: OpaquePointer?
        snd_pcm_hw_params_malloc(&hwp)
        guard let hw = hwp else { return pcm }
        defer { snd_pcm_hw_params_free(hw) }
        guard snd_pcm_hw_params_any(handle, hw) >= 0 else {
            pcm.problem = "cannot read its capabilities"
            return pcm
        }
        let r = ALSACaptureDevice.ranges(handle, hw)
        pcm.rates = Int(r.rates.lowerBound)...Int(r.rates.upperBound)
        pcm.channels = Int(r.channels.lowerBound)...Int(r.channels.upperBound)
        pcm.commonRates = commonRates.filter { snd_pcm_hw_params_test_rate(handle, hw, UInt32($0), 0) == 0 }
        return pcm
    }

    static func hinted() -> [(String, String)] {
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) == 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        var out: [(String, String)] = []
        var p = hints
        while let hint = p.pointee {
            defer { p += 1 }
            func get(_ key: String) -> String? {
                guard let c = snd_device_name_get_hint(hint, key) else { return nil }
                defer { free(c) }
                return String(cString: c)
            }
            guard let name = get("NAME") else { continue }
            if let io = get("IOID"), io != "Input" { continue }
            let description = (get("DESC") ?? "").split(separator: "\n").joined(separator: ", ")
            out.append((name, description))
        }
        return out
    }

    /// PCMs defined at the top level of ALSA's configuration that take no arguments (user
    /// definitions such as a test `file` PCM, `default`, `sysdefault`).
    static func configured() -> [(String, String)] {
        // A private copy of the configuration (the global `snd_config` is shared state).
        var top: OpaquePointer?
        var update: OpaquePointer?
        guard snd_config_update_r(&top, &update, nil) >= 0, let root = top else { return [] }
        defer {
            snd_config_delete(root)
            if let update { snd_config_update_free(update) }
        }
        var node: OpaquePointer?
        guard snd_config_search(root, "pcm", &node) == 0, let node else { return [] }
        var out: [(String, String)] = []
        var i = snd_config_iterator_first(node)
        let end = snd_config_iterator_end(node)
        while i != end {
            defer { i = snd_config_iterator_next(i) }
            guard let entry = snd_config_iterator_entry(i) else { continue }
            var id: UnsafePointer<CChar>?
            guard snd_config_get_id(entry, &id) == 0, let id else { continue }
            var args: OpaquePointer?
            if snd_config_search(entry, "@args", &args) == 0 { continue }
            var typeNode: OpaquePointer?
            var type: UnsafePointer<CChar>?
            let kind = snd_config_search(entry, "type", &typeNode) == 0 && snd_config_get_string(typeNode, &type) == 0
                ? String(cString: type!) : "defined in configuration"
            out.append((String(cString: id), "ALSA configuration (\(kind))"))
        }
        return out
    }
}
