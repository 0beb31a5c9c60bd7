import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Each example's committed `expected/` folder is exactly what netc builds.
final class GoldenTests: XCTestCase {
    static let regenerate = "If the change is intended, regenerate with `make golden` and review the diff line by line."

    /// Compares generated files with an expected tree; returns one message
    /// per difference, each with a unified diff.
    static func compare(generated: [OutputFile], expected: [String: String]) -> [String] {
        var problems: [String] = []
        let gen = Dictionary(uniqueKeysWithValues: generated.map { ($0.path, $0.contents) })
        for path in Set(gen.keys).union(expected.keys).sorted() {
            let old = expected[path], new = gen[path]
            if old == new { continue }
            let what = old == nil ? "is generated but not expected" : new == nil ? "is expected but not generated" : "differs"
            problems.append("\(path) \(what):\n" + UnifiedDiff.diff(old: old, new: new, path: path))
        }
        return problems
    }

    func testEveryExampleMatchesItsExpectedOutput() throws {
        let names = try exampleNames()
        XCTAssertGreaterThanOrEqual(names.count, 6, "examples/ lost examples")
        for name in names {
            let result = try compileExample(name)
            XCTAssertFalse(result.hasErrors, "example \(name) has errors: \(result.diagnostics)")
            let expected = try readTree(examplesDir.appendingPathComponent("\(name)/expected"))
            XCTAssertFalse(expected.isEmpty, "example \(name) has no expected/ folder. \(Self.regenerate)")
            let problems = Self.compare(generated: result.files, expected: expected)
            XCTAssert(problems.isEmpty, "example \(name): output differs from examples/\(name)/expected/. \(Self.regenerate)\n\n"
                      + problems.joined(separator: "\n"))
        }
    }

    /// Every example has a ruleset and libvirt networks; networkd files
    /// exactly when networkd has a link to configure (a declared interface,
    /// a bridge-mode bridge, a bridge it creates for guests), and a sysctl
    /// file exactly when a network is forwarded. Together the examples
    /// cover every backend.
    func testEveryExampleCoversEachBackend() throws {
        var seen = Set<String>()
        for name in try exampleNames() {
            let result = try compileExample(name)
            let t = try XCTUnwrap(result.topology, name)
            let files = result.files.map(\.path)
            seen.formUnion(files.map { String($0.prefix { $0 != "/" }) })
            XCTAssert(files.contains("nftables/netc.nft"), name)
            XCTAssert(files.contains { $0.hasPrefix("libvirt/") }, "\(name) has no libvirt network")
            let networkdLinks = !t.interfaces.isEmpty || t.networks.contains { n in
                n.mode == .bridge || n.guest?.server == .networkd
            }
            XCTAssertEqual(files.contains { $0.hasPrefix("networkd/") }, networkdLinks, "\(name): networkd files")
            // Forwarding when a network routes: nat, route, or any network with peers.
            let forwards = t.networks.contains { n in n.mode == .nat || n.mode == .route || !(n.guest?.peers.isEmpty ?? true) }
            XCTAssertEqual(files.contains("sysctl/60-netc.conf"), forwards, "\(name): sysctl file")
        }
        XCTAssertEqual(seen, Set(OutputLayout.folders))
    }

    /// The comparison itself must notice a one-byte change and show it.
    func testOneChangedByteIsReportedWithADiff() throws {
        let result = try compileExample("nat")
        var expected = try readTree(examplesDir.appendingPathComponent("nat/expected"))
        let path = "libvirt/default.xml"
        expected[path] = try XCTUnwrap(expected[path]).replacingOccurrences(of: "end='192.168.122.254'", with: "end='192.168.122.253'")
        let problems = Self.compare(generated: result.files, expected: expected)
        XCTAssertEqual(problems.count, 1)
        XCTAssert(problems[0].contains("-      <range start='192.168.122.100' end='192.168.122.253'>\n+      <range start='192.168.122.100' end='192.168.122.254'>\n"), problems[0])
        XCTAssert(problems[0].hasPrefix("\(path) differs"), problems[0])
    }

    func testEveryFileIsLabelled() throws {
        for name in try exampleNames() {
            for f in try compileExample(name).files {
                XCTAssert(OutputLayout.isLabelled(f.contents), "\(name)/\(f.path) does not start with netc's label")
                // No source name by default: the bytes do not depend on how
                // the topology was passed (--source-name adds one).
                XCTAssertFalse(f.contents.prefix { $0 != "\n" }.contains(" from "), "\(name)/\(f.path) names a source")
                XCTAssert(f.contents.hasSuffix("\n"), "\(name)/\(f.path) does not end with a newline")
                XCTAssertFalse(f.contents.contains("\n\n\n"), "\(name)/\(f.path) has a double blank line")
            }
        }
    }

    func testXMLCommentsStayValidWhateverTheHostName() throws {
        let r = try compileOK("version: 1\nhost: xn--kvm---01\nnetworks:\n  lab: {mode: isolated, bridge: v1}\n")
        let xml = try XCTUnwrap(r.files.first { $0.path == "libvirt/lab.xml" }).contents
        for comment in xml.components(separatedBy: "<!--").dropFirst() {
            let body = try XCTUnwrap(comment.components(separatedBy: "-->").first)
            XCTAssertFalse(body.contains("--"), body)
        }
        XCTAssert(xml.contains("xn- -kvm- - -01"), xml)
    }
}
