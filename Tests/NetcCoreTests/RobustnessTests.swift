import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Damaged topologies never crash the compiler: every one either compiles or
/// yields located diagnostics.
final class RobustnessTests: XCTestCase {
    typealias SplitMix = Damage.SplitMix
    static func damaged(_ original: [Unicode.Scalar], using rng: inout SplitMix) -> String { Damage.damaged(original, using: &rng) }

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
