import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

final class DiagnosticTests: XCTestCase {
    func format(_ ds: [Diagnostic], _ text: String) -> String {
        DiagnosticFormatter.text(ds, file: "t.yaml", source: text, color: false)
    }

    /// Each case yields its code, with its severity, at the marked line and column.
    func testEachCaseReportsItsCodeAtTheMarkedPosition() {
        for c in diagnosticCases {
            let (text, line, column) = c.source
            let ds = Compiler.diagnose(text)
            let hit = ds.first { $0.code == c.code && $0.range.start.line == line && $0.range.start.column == column }
            XCTAssertNotNil(hit, "\(c.code) (\(c.name)): expected at \(line):\(column), got:\n\(format(ds, text))")
            XCTAssertEqual(hit?.severity, c.code.severity, "\(c.code) (\(c.name))")
            if c.code.severity == .error {
                // Nothing else than the mistake is reported.
                XCTAssertEqual(ds.filter { $0.severity == .error }.count, 1, "\(c.code) (\(c.name)) reported more:\n\(format(ds, text))")
            }
        }
    }

    /// Each fixed version compiles, without errors and without the code.
    func testEachFixedVersionPasses() throws {
        for c in diagnosticCases {
            let r = try Compiler.compile(c.fixed)
            XCTAssertFalse(r.hasErrors, "\(c.code) (\(c.name)) fixed:\n\(format(r.diagnostics, c.fixed))")
            XCTAssertFalse(r.diagnostics.contains { $0.code == c.code }, "\(c.code) (\(c.name)) fixed still reports it")
            XCTAssertFalse(r.files.isEmpty)
        }
    }

    func testEveryCodeOfTheCatalogueHasACase() {
        let covered = Set(diagnosticCases.map(\.code) + importCases.map(\.code) + FleetTests.cases.map(\.code))
        XCTAssertEqual(Set(DiagnosticCode.allCases).subtracting(covered).map(\.rawValue).sorted(), [])
    }

    /// The catalogue's own bad and fixed examples are documentation; the
    /// fixed snippets that are whole topologies must compile.
    func testEveryCodeIsDocumented() {
        for code in DiagnosticCode.allCases {
            let e = code.entry
            XCTAssertFalse(e.title.isEmpty || e.explanation.isEmpty || e.bad.isEmpty || e.fixed.isEmpty, code.rawValue)
            XCTAssertNotEqual(e.bad, e.fixed, code.rawValue)
            XCTAssert(Catalogue.explain(code).contains(e.title), code.rawValue)
        }
    }

    func testTheDiagnosticsPageIsUpToDate() throws {
        let page = try readText(repoRoot.appendingPathComponent("docs/diagnostics.md"))
        XCTAssertEqual(page, Catalogue.markdown(), "docs/diagnostics.md is stale: run `make docs`")
    }

    func testFiveIndependentMistakesGiveFiveErrorsSortedByPosition() {
        let text = """
        version: 1
        interfaces:
          eth0: {mtu: 99999}
        networks:
          a: {mode: isolated, bridge: virbr-far-too-long}
          b: {mode: nat, bridge: virbr2, ipv4: {subnet: 10.0.0.1/24}}
          c: {mode: isolated, bridge: virbr3, stp: maybe}
          d: {mode: bridge, bridge: br0, uplink: eth9}

        """
        let ds = Compiler.diagnose(text)
        XCTAssertEqual(ds.map(\.code), [.E008, .E101, .E202, .E004, .E104], format(ds, text))
        XCTAssertEqual(ds.map(\.range.start.line), [3, 5, 6, 7, 8])
    }

    /// A tab in indentation is named (E011) and shown, and the file is read
    /// on: the mistakes after it are reported in the same run.
    func testATabIsNamedShownAndTheRestOfTheFileStillChecked() {
        let text = "version: 1\ninterfaces:\n\teth0: {}\nnetworks:\n\ta:\n\t\tmode: isolated\n\t\tbridge: virbr-far-too-long\n"
        let ds = Compiler.diagnose(text)
        XCTAssertEqual(ds.map(\.code), [.E011, .E011, .E011, .E011, .E101], format(ds, text))
        XCTAssertEqual(ds.map(\.range.start.line), [3, 5, 6, 7, 7], format(ds, text))
        XCTAssertEqual(ds.last?.range.start.column, 11, "columns are those of the file, tabs counted one each")
        let out = format(Array(ds.prefix(1)), text)
        XCTAssert(out.contains("a tab in indentation") && out.contains("    3 | →eth0: {}\n"), out)
        // A tab inside a value or a comment is no indentation.
        XCTAssertEqual(Compiler.diagnose("version: 1 # a\tcomment\nnetworks: {}\n").map(\.code), [])
    }

    /// A word that is not a mode or a kind is reported once; what holds
    /// whatever the mode or kind is still checked, and nothing is reported
    /// as if the word were another (no "not allowed on a ethernet").
    func testAnUnknownModeOrKindIsReportedOnceWithoutKnockOns() {
        let text = """
        version: 1
        interfaces:
          eth0: {}
          v5:
            kind: vlna
            parent: eth0
            id: 5
        networks:
          a:
            mode: NAT
            bridge: virbr0
            uplink: eth9
            ipv4: {subnet: 10.0.0.0/24, gateway: 10.1.0.1}
          b:
            mode: brige
            bridge: br0
            uplink: eth0
            ipv4: {address: 192.0.2.10/24, gateway: 198.51.100.1}

        """
        let ds = Compiler.diagnose(text)
        XCTAssertEqual(ds.map(\.code), [.E007, .E007, .E104, .E203, .E007, .E203], format(ds, text))
        XCTAssertEqual(ds.map(\.range.start.line), [5, 10, 12, 13, 15, 18], format(ds, text))
    }

    func testTextFormatShowsTheLineAndACaretUnderTheValue() {
        let text = "version: 1\nnetworks:\n  lab:\n    mode: isolated\n    bridge: v1\n    ipv4:\n      subnet: 192.168.122.0/24\n      gateway: 192.168.123.1\n"
        let out = format(Compiler.diagnose(text), text)
        XCTAssertEqual(out, """
        t.yaml:8:16: error: gateway 192.168.123.1 is outside subnet 192.168.122.0/24 [E203]
            8 |       gateway: 192.168.123.1
              |                ^~~~~~~~~~~~~
        t.yaml:7:15: note: subnet of network 'lab' declared here

        """)
    }

    func testDidYouMeanForKeysAndNames() {
        let ds = Compiler.diagnose("version: 1\ninterfaces:\n  eth0: {}\nnetworks:\n  a: {mode: bridge, brdige: br0, uplink: eht0}\n")
        XCTAssert(ds.contains { $0.code == .E003 && $0.message.contains("did you mean 'bridge'?") }, "\(ds)")
        XCTAssert(ds.contains { $0.code == .E104 && $0.message.contains("did you mean 'eth0'?") }, "\(ds)")
    }

    func testEachProblemIsReportedOnce() {
        let text = "version: 1\nnetworks:\n  a: {mode: isolated, bridge: v1, ipv4: {subnet: 10.0.0.0/24}}\n  b: {mode: isolated, bridge: v2, ipv4: {subnet: 10.0.0.0/24}}\n  c: {mode: isolated, bridge: v3, ipv4: {subnet: 10.0.0.0/25}}\n"
        let ds = Compiler.diagnose(text)
        XCTAssertEqual(ds.filter { $0.code == .E207 }.map(\.range.start.line), [4, 5], format(ds, text))
    }

    /// No name that reaches a generated file can carry text that would break
    /// out of its place: every hostile name in every position is an error,
    /// and an error means no file at all.
    func testHostileNamesNeverReachTheOutput() throws {
        let payloads = ["a\nb", "x\\\" accept", "x;y", "x}y", "x y", "x#y", "x'y", "x<y", "x\\ty", "x--y/z", "../x"]
        for p in payloads {
            let q = "\"\(p)\""
            let templates = [
                "version: 1\nhost: \(q)\nnetworks: {}\n",
                "version: 1\ninterfaces:\n  \(q): {}\nnetworks: {}\n",
                "version: 1\nnetworks:\n  \(q): {mode: isolated, bridge: v1}\n",
                "version: 1\nnetworks:\n  n: {mode: isolated, bridge: \(q)}\n",
                "version: 1\ninterfaces: {eth0: {}}\nnetworks:\n  n: {mode: bridge, bridge: br0, uplink: \(q)}\n",
                "version: 1\nnetworks:\n  n: {mode: isolated, bridge: v1, ipv4: {subnet: 10.0.0.0/24}, peers: [\(q)]}\n",
                "version: 1\nnetworks:\n  n: {mode: isolated, bridge: v1, ipv4: {subnet: 10.0.0.0/24, reservations: {\(q): {mac: 52:54:00:00:00:01, ip: 10.0.0.5}}}}\n",
                "version: 1\nnetworks:\n  n: {mode: nat, bridge: v1, ipv4: {subnet: 10.0.0.0/24}, forwards: [{proto: tcp, port: 80, to: \(q)}]}\n",
            ]
            for t in templates {
                let r = try Compiler.compile(t)
                XCTAssert(r.hasErrors && r.files.isEmpty, "accepted a hostile name \(p.debugDescription) in:\n\(t)")
            }
        }
    }

    /// A name with control characters is quoted with escapes in every
    /// format, so that a diagnostic stays one line and nothing reaches the
    /// terminal raw (newline, carriage return, ESC, BEL, a bidi override).
    func testControlCharactersInNamesAreEscapedInEveryFormat() throws {
        let text = "version: 1\ninterfaces:\n  \"eth0\\nKind=bridge\\r\\e[31m\\a\\u202E\": {}\nnetworks: {}\n"
        let ds = Compiler.diagnose(text)
        let d = try XCTUnwrap(ds.first { $0.code == .E101 }, "\(ds)")
        XCTAssert(d.message.hasPrefix("interface name 'eth0\\nKind=bridge\\r\\e[31m\\u{7}\\u{202E}' "), d.message)
        let raw: [Unicode.Scalar] = ["\r", "\u{1B}", "\u{07}", "\u{202E}"]
        let formats = [
            DiagnosticFormatter.text(ds, file: "t.yaml", source: text, color: false),
            DiagnosticFormatter.json(ds, file: "t.yaml"),
            DiagnosticFormatter.sarif(ds, file: "t.yaml", version: "test"),
        ]
        for out in formats {
            XCTAssertFalse(out.unicodeScalars.contains { raw.contains($0) }, out)
        }
        // The machine formats carry the escaped message as their text.
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(formats[1].utf8)) as? [[String: Any]])
        XCTAssertEqual(json.first?["message"] as? String, d.message)
        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(formats[2].utf8)) as? [String: Any])
        let results = ((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        XCTAssertEqual((results.first?["message"] as? [String: Any])?["text"] as? String, d.message)
        // In text, the diagnostic line itself is one line.
        let first = try XCTUnwrap(formats[0].split(separator: "\n").first)
        XCTAssert(first.hasPrefix("t.yaml:3:3: error: interface name 'eth0\\nKind=bridge"), String(first))
        XCTAssert(first.hasSuffix("[E101]"), String(first))
    }
}

/// E002 in a mapping large enough to be checked through a table (more than
/// 16 keys) is found at the repeat, with the first one as a note.
final class LargeMappingTests: XCTestCase {
    func testADuplicateAmongManyNetworksIsLocated() throws {
        var yaml = "version: 1\nnetworks:\n"
        for i in 1...20 { yaml += "  n\(i): {mode: isolated, bridge: v\(i)}\n" }
        yaml += "  n3: {mode: isolated, bridge: v99}\n"
        let d = Compiler.diagnose(yaml)
        XCTAssertEqual(d.map(\.code), [.E002])
        XCTAssertEqual(d.first?.range.start, SourceLocation(line: 23, column: 3))
        XCTAssertEqual(d.first?.notes.first?.range?.start, SourceLocation(line: 5, column: 3))
    }
}
