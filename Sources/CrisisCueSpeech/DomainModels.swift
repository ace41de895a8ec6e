import Foundation

/// CrisisCue's own recognition data, shipped in `models/` next to the intent model: a
/// 911-call language model with its dictionary (`lm/`), and an MLLR transform of the
/// acoustic model for telephone audio (`telephone/mllr_matrix`). Each is optional: a
/// missing file leaves PocketSphinx's stock one in place.
public struct DomainModels: Equatable, Sendable {
    public var languageModel: String?
    public var dictionary: String?
    public var telephoneMLLR: String?

    public init(languageModel: String? = nil, dictionary: String? = nil, telephoneMLLR: String? = nil) {
        self.languageModel = languageModel
        self.dictionary = dictionary
        self.telephoneMLLR = telephoneMLLR
    }

    /// What a models folder holds; the language model counts only with its dictionary.
    public static func found(in folder: String) -> DomainModels {
        let fm = FileManager.default
        func readable(_ relative: String) -> String? {
            let path = folder + "/" + relative
            return fm.isReadableFile(atPath: path) ? path : nil
        }
        let lm = readable("lm/crisiscue.lm.bin"), dict = readable("lm/crisiscue.dict")
        return DomainModels(
            languageModel: lm != nil && dict != nil ? lm : nil, dictionary: lm != nil ? dict : nil,
            telephoneMLLR: readable("telephone/mllr_matrix"))
    }
}
