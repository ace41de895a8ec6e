/// Where a template matched a token sequence.
public struct PatternMatch: Equatable, Sendable {
    /// Token range `start..<end`.
    public var start: Int
    public var end: Int
    /// Words inserted into the phrase or light words missing from it.
    public var edits: Int
}

extension PhraseTemplate {
    private struct Thread: Hashable {
        var state: Int
        var start: Int
    }

    private struct Cost {
        var edits: Int
        var consumed: Bool
    }

    /// Every place the template matches in `tokens`, tolerating up to `maxEdits` extra
    /// words inside the phrase or skipped light words, never across a clause break.
    /// Overlapping matches are reduced to the cheapest, then the longest.
    public func matches(in tokens: [TokenNormalizer.Token], maxEdits: Int = 1) -> [PatternMatch] {
        matchesAndOpenStarts(in: tokens, maxEdits: maxEdits).matches
    }

    /// `matches(in:maxEdits:)`, and where the matches still under way when the tokens run
    /// out began: the phrase could still complete if more words came ("he fell off" of
    /// "fell off the wagon", heard in a partial hypothesis).
    public func matchesAndOpenStarts(in tokens: [TokenNormalizer.Token], maxEdits: Int = 1) -> (matches: [PatternMatch], openStarts: [Int]) {
        // Most phrases cannot start anywhere in a given hypothesis: skip them at once.
        guard tokens.contains(where: canStart) else { return ([], []) }
        var found: [PatternMatch] = []
        var active: [Thread: Cost] = [:]

        func relax(_ into: inout [Thread: Cost], _ thread: Thread, _ cost: Cost) {
            if let old = into[thread], old.edits < cost.edits || (old.edits == cost.edits && (old.consumed || !cost.consumed)) {
                return
            }
            into[thread] = cost
        }

        func closure(_ seeds: [Thread: Cost]) -> [Thread: Cost] {
            var result: [Thread: Cost] = [:]
            var work = Array(seeds)
            while let (thread, cost) = work.popLast() {
                if let old = result[thread], old.edits <= cost.edits { continue }
                result[thread] = cost
                switch states[thread.state] {
                case .split(let a, let b):
                    work.append((Thread(state: a, start: thread.start), cost))
                    work.append((Thread(state: b, start: thread.start), cost))
                case .epsilon(let n):
                    work.append((Thread(state: n, start: thread.start), cost))
                case .word(_, _, let light, let next) where light && cost.consumed && cost.edits < maxEdits && !endsHere[next]:
                    work.append((Thread(state: next, start: thread.start), Cost(edits: cost.edits + 1, consumed: cost.consumed)))
                default:
                    break
                }
            }
            return result
        }

        func collect(_ threads: [Thread: Cost], end: Int) {
            for (thread, cost) in threads where cost.consumed {
                if case .accept = states[thread.state] {
                    found.append(PatternMatch(start: thread.start, end: end, edits: cost.edits))
                }
            }
        }

        for (i, token) in tokens.enumerated() {
            if active.isEmpty && !canStart(at: token) { continue }
            var seeds = active
            if canStart(at: token) { relax(&seeds, Thread(state: start, start: i), Cost(edits: 0, consumed: false)) }
            let current = closure(seeds)
            var next: [Thread: Cost] = [:]
            for (thread, cost) in current {
                switch states[thread.state] {
                case .word(let stems, let prefixes, _, let to):
                    if !token.isBreak && (stems.contains(token.stem) || prefixes.contains(where: { token.stem.hasPrefix($0) })) {
                        relax(&next, Thread(state: to, start: thread.start), Cost(edits: cost.edits, consumed: true))
                    } else if cost.consumed && !token.isBreak && cost.edits < maxEdits && Self.insertable(tokens, i) {
                        relax(&next, thread, Cost(edits: cost.edits + 1, consumed: true))
                    }
                case .any(let to):
                    if !token.isBreak {
                        relax(&next, Thread(state: to, start: thread.start), Cost(edits: cost.edits, consumed: true))
                    }
                default:
                    break
                }
            }
            active = next
            collect(closure(active), end: i + 1)
        }
        // Threads waiting for a word after the last token, having matched one already.
        var open: Set<Int> = []
        for (thread, cost) in closure(active) where cost.consumed {
            switch states[thread.state] {
            case .word, .any: open.insert(thread.start)
            default: break
            }
        }
        return (Self.reduce(found), open.sorted())
    }

    /// Words a tolerant match never absorbs as an insertion: they turn the phrase around
    /// ("he is not hurt" is not "he is hurt").
    static let neverInserted: Set<String> = ["not", "no", "never", "nobody", "none", "nothing", "without"]

    /// An article after "be" or "get" makes the next word a noun where the phrase meant a
    /// state ("I got a shot" at the pharmacy is not "I got shot", "I'm a high school
    /// senior" is not "I'm high"): never absorbed there. Elsewhere it is a common insertion
    /// ("he smoke the drugs", "they send the signals", "pushing the people").
    static let articles = Set(["a", "an", "the"].flatMap(TokenNormalizer.stems))
    static let linking = Set(["be", "is", "am", "are", "was", "were", "been", "being", "get", "gets", "got", "gotten", "getting",
                              "become", "becomes", "became"].flatMap(TokenNormalizer.stems))

    /// Whether `tokens[i]` may be absorbed as an inserted word.
    static func insertable(_ tokens: [TokenNormalizer.Token], _ i: Int) -> Bool {
        let stem = tokens[i].stem
        if neverInserted.contains(stem) { return false }
        return !(articles.contains(stem) && i > 0 && linking.contains(tokens[i - 1].stem))
    }

    /// Keeps, among overlapping matches, the one with fewest edits, then the longest
    /// (the most specific reading, optional words included), then the earliest.
    static func reduce(_ matches: [PatternMatch]) -> [PatternMatch] {
        let ranked = matches.sorted {
            ($0.edits, $1.end - $1.start, $0.start) < ($1.edits, $0.end - $0.start, $1.start)
        }
        var kept: [PatternMatch] = []
        for m in ranked where !kept.contains(where: { $0.start < m.end && m.start < $0.end }) {
            kept.append(m)
        }
        return kept.sorted { $0.start < $1.start }
    }
}
