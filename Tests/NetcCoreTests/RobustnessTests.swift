import Foundation
import XCTest
@testable import NetcCore

/// Damaged topologies never crash the compiler: every one either compiles or
/// yields located diagnostics.
final class RobustnessTests: XCTestCase {
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

    func testRandomlyDamagedExamplesNeverCrash() throws {
        // NETC_FUZZ_SEED and NETC_FUZZ_ROUNDS explore further when run by hand.
        let env = ProcessInfo.processInfo.environment
        var rng = SplitMix(state: env["NETC_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20261129)
        let rounds = env["NETC_FUZZ_ROUNDS"].flatMap { Int($0) } ?? 150
        var checked = 0
        for name in try exampleNames() {
            let original = Array(try readText(examplesDir.appendingPathComponent("\(name)/topology.yaml")).unicodeScalars)
            for _ in 0..<rounds {
                let source = Self.damaged(original, using: &rng)
                let r = try Compiler.compile(source)
                let lines = SourceText.lines(source).count
                for d in r.diagnostics {
                    XCTAssert(d.range.start.line >= 1 && d.range.start.line <= lines + 1 && d.range.start.column >= 1,
                              "\(d.code) at \(d.range.start) outside the file:\n\(source)")
                }
                if r.hasErrors { XCTAssert(r.files.isEmpty) } else { XCTAssertFalse(r.files.isEmpty) }
                _ = DiagnosticFormatter.text(r.diagnostics, file: "t.yaml", source: source, color: true)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 1000)
    }
}
