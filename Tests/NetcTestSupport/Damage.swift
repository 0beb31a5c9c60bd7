/// Random damage to a topology's text, reproducible from a seed: the
/// robustness test (nothing crashes) and the consumer property test (what
/// still builds is accepted) share it.
enum Damage {
    /// A small deterministic generator (SplitMix64), so a failure reproduces.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = [":", " ", "\n", "-", "{", "}", "[", "]", "0", "/", "::", "true", "  ", "\t", "'", "\"", "&a", "*a", "!x", "#",
                         "999999", "ipv6", "nat", "é"]

    /// An example's text with one to three random edits (a character
    /// removed, a piece inserted, a character replaced).
    static func damaged(_ original: [Unicode.Scalar], using rng: inout SplitMix) -> String {
        var text = original
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let at = Int.random(in: 0..<text.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: text.remove(at: at)
            case 1: text.insert(contentsOf: pieces.randomElement(using: &rng)!.unicodeScalars, at: at)
            default: text[at] = pieces.randomElement(using: &rng)!.unicodeScalars.first!
            }
        }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: text)
        return String(s)
    }
}
