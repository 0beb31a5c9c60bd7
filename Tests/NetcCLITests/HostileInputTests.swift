import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// What reaches the terminal from a hostile or broken file: control bytes
/// escaped in excerpts, bad bytes located, every line ending understood,
/// long lines and values cut, and the number of diagnostics capped.
final class HostileInputTests: XCTestCase {
    func text(_ bytes: [UInt8]) -> (diagnostics: [Diagnostic], text: String) {
        let ds = Compiler.diagnose(bytes: bytes)
        return (ds, DiagnosticFormatter.text(ds, file: "t.yaml", source: String(decoding: bytes, as: UTF8.self), color: false))
    }

    func testANULByteIsLocatedAndNeverPrinted() {
        let (ds, out) = text(Array("version: 1\nnetworks:\n  a:\n    mode: nat\n  b: \"x\0y\"\n".utf8))
        XCTAssertEqual(ds.map(\.code), [.E010])
        XCTAssertEqual(ds.first?.range.start, SourceLocation(line: 5, column: 8))
        XCTAssert(out.contains("    5 |   b: \"x\\u{0}y\"\n      |        ^~~~~\n"), out)
        XCTAssertFalse(out.unicodeScalars.contains("\0"), out)
    }

    func testInvalidUTF8IsLocatedAtItsFirstByte() {
        let bytes = Array("version: 1\nhost: k".utf8) + [0xE9] + Array("vm01\nnetworks: {}\n".utf8)
        let (ds, out) = text(bytes)
        XCTAssertEqual(ds.map(\.code), [.E010])
        XCTAssertEqual(ds.first?.range.start, SourceLocation(line: 2, column: 8))
        XCTAssert(out.contains("not valid UTF-8 here (bytes \\xE9)"), out)
        // Overlong forms, surrogates and truncated sequences too.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            XCTAssertEqual(Compiler.diagnose(bytes: Array("version: 1\n".utf8) + bad).first?.code, .E010, "\(bad)")
        }
        XCTAssertNil(SourceText.check(Array("host: kévm ✓ 𝄞\n".utf8)))
    }

    /// Raw control bytes libyaml refuses: located (not 1:1) and escaped.
    func testARawControlByteIsLocatedAndEscaped() {
        let (ds, out) = text(Array("version: 1\nhost: \"a\u{07}b\u{1B}[31m\"\nnetworks: {}\n".utf8))
        XCTAssertEqual(ds.first?.code, .E001)
        XCTAssertEqual(ds.first?.range.start, SourceLocation(line: 2, column: 9))
        XCTAssert(out.contains("    2 | host: \"a\\u{7}b\\e[31m\"\n      |         ^~~~~\n"), out)
        XCTAssertFalse(out.unicodeScalars.contains { $0 == "\u{07}" || $0 == "\u{1B}" }, out)
    }

    /// CRLF and CR-only files: positions as YAML counts lines, and excerpts.
    func testCRLFAndCRFilesGetExcerpts() {
        for eol in ["\r\n", "\r"] {
            let source = ["version: 1", "networks:", "  a: {mode: nat, bridge: v1, ipv4: {subnet: 10.0.0.1/24}}", ""].joined(separator: eol)
            let (ds, out) = text(Array(source.utf8))
            XCTAssertEqual(ds.first?.range.start, SourceLocation(line: 3, column: 45), eol.debugDescription)
            XCTAssert(out.contains("    3 |   a: {mode: nat, bridge: v1, ipv4: {subnet: 10.0.0.1/24}}\n"
                                   + "      |                                             ^~~~~~~~~~~\n"), out)
        }
    }

    /// A 1 MB value: the message keeps its start and end, the excerpt a
    /// window around the caret, so the output stays small.
    func testALongValueIsCutInMessagesAndExcerpts() {
        let long = String(repeating: "a", count: 1_000_000)
        let (ds, out) = text(Array("version: 1\nnetworks: {}\nhost: x\(long)\n".utf8))
        XCTAssertEqual(ds.first?.code, .E101)
        XCTAssertLessThan(out.utf8.count, 2000, String(out.prefix(300)))
        XCTAssert(ds.first!.message.contains("characters left out"), ds.first!.message)
        XCTAssert(out.contains("    3 | host: xaaaa"), out)
        XCTAssert(out.contains("aaa...\n      |       ^~~"), out)
    }

    /// 150 problems: 100 shown by default and the rest counted; all with
    /// --max-diagnostics 0; the exit status counts every one.
    func testDiagnosticsAreCappedAndCounted() throws {
        let yaml = "version: 1\nnetworks: {}\n" + (0..<150).map { "k\($0): 1\n" }.joined()
        let r = try CLI.run(["check", "-"], stdin: yaml)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.components(separatedBy: "error: unknown key").count - 1, 100)
        XCTAssert(r.stderr.contains("150 errors generated.\nnetc: note: 50 more diagnostic(s) not shown; --max-diagnostics 0 shows all\n"), r.stderr)
        let json = try CLI.run(["check", "-", "--diagnostics-format", "json"], stdin: yaml)
        XCTAssertEqual(try (JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any])?.count, 100)
        XCTAssert(json.stderr.contains("50 more diagnostic(s) not shown"), json.stderr)
        let all = try CLI.run(["check", "-", "--diagnostics-format", "json", "--max-diagnostics", "0"], stdin: yaml)
        XCTAssertEqual(try (JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [Any])?.count, 150)
        XCTAssertEqual(all.stderr, "")
        let sarif = try CLI.run(["check", "-", "--diagnostics-format", "sarif", "--max-diagnostics", "7"], stdin: yaml)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(((log["runs"] as? [[String: Any]])?.first?["results"] as? [Any])?.count, 7)
    }

    /// The machine formats escape what JSON must escape, whatever the text.
    func testJSONStringsAreEscaped() throws {
        let w = JSONWriter()
        w.string("a\"b\\c\nd\u{01}e\u{2028}f/é")
        let back = try JSONSerialization.jsonObject(with: Data("[\(w.out)]".utf8)) as? [String]
        XCTAssertEqual(back, ["a\"b\\c\nd\u{01}e\u{2028}f/é"])
    }
}
