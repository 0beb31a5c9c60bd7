import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Diagnostics/Messages.swift: every message netc reports, worded once.
/// Each factory's text, with its arguments shown as `<name>`, is kept in
/// Tests/NetcCoreTests/messages.txt: a changed wording shows in review as
/// a changed line there (regenerate with NETC_REGENERATE=1).
final class MessageTests: XCTestCase {
    static let file = repoRoot.appendingPathComponent("Tests/NetcCoreTests/messages.txt")

    func rendered() -> String {
        Message.samples.map { "\($0.code.rawValue) \($0.text)\n" }.joined()
    }

    func testEachFactorysTextIsTheReviewedOne() throws {
        if ProcessInfo.processInfo.environment["NETC_REGENERATE"] == "1" {
            try Data(rendered().utf8).write(to: Self.file)
        }
        XCTAssertEqual(rendered(), try readText(Self.file), "regenerate with NETC_REGENERATE=1 and review the diff")
    }

    /// `samples` holds every factory: as many as Messages.swift declares.
    func testEveryFactoryIsSampled() throws {
        let source = try readText(repoRoot.appendingPathComponent("Sources/NetcCore/Diagnostics/Messages.swift"))
        let declared = source.split(separator: "\n").filter {
            ($0.hasPrefix("    static func ") && $0.hasSuffix("-> Message {")) || ($0.hasPrefix("    static var ") && $0.contains(": Message {"))
        }
        XCTAssertEqual(Message.samples.count, declared.count)
    }

    /// Worded once: no two factories say the same thing; every message is
    /// one line without a closing full stop; every code of the catalogue
    /// has its messages, warnings are warnings.
    func testMessagesAreDistinctOneLineAndCoverTheCatalogue() {
        var seen: [String: Int] = [:]
        for m in Message.samples { seen[m.text, default: 0] += 1 }
        XCTAssertEqual(seen.filter { $0.value > 1 }.keys.sorted(), [], "worded twice")
        for m in Message.samples {
            XCTAssertFalse(m.text.isEmpty)
            XCTAssertFalse(m.text.contains("\n"), m.text)
            XCTAssertFalse(m.text.hasSuffix("."), m.text)
            XCTAssertEqual(m.code.severity == .warning, m.code.rawValue.hasPrefix("W"), m.text)
        }
        let used = Set(Message.samples.map(\.code))
        XCTAssertEqual(DiagnosticCode.allCases.filter { !used.contains($0) }, [], "codes of the catalogue with no message")
    }
}
