import XCTest
@testable import NetcCore

/// Snippet tests, in the style of swift-openapi-generator's: a small
/// topology in, one unit or one chain out, so that each planner rule has its
/// test beside it. `Snippet.file` prints one generated file; `Snippet.chain`
/// cuts one chain (or set or map) out of the printed ruleset.
enum Snippet {
    /// A topology with one uplink, eth0, and the given networks (indented
    /// by two spaces under `networks:`) and extra interfaces.
    static func topology(networks: String, interfaces: String = "") -> String {
        "version: 1\ninterfaces:\n  eth0:\n    ipv4: {address: 203.0.113.10/24, gateway: 203.0.113.1, dns: [203.0.113.53]}\n"
            + interfaces + "networks:\n" + networks
    }

    static func compile(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) throws -> [OutputFile] {
        let r = try Compiler.compile(yaml)
        XCTAssertFalse(r.hasErrors, DiagnosticFormatter.text(r.diagnostics, file: "t.yaml", source: yaml, color: false),
                       file: file, line: line)
        return r.files
    }

    /// One generated file without its two header lines and the blank line
    /// after them.
    static func file(_ path: String, of yaml: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let files = try compile(yaml, file: file, line: line)
        let f = try XCTUnwrap(files.first { $0.path == path }, "no \(path) in \(files.map(\.path))", file: file, line: line)
        return f.contents.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(3).joined(separator: "\n")
    }

    /// One block of the ruleset (`chain NAME`, `set NAME`, `map NAME`), from
    /// its first line to its closing brace, tabs as written.
    static func block(_ header: String, of yaml: String, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let nft = try Snippet.file("nftables/netc.nft", of: yaml, file: file, line: line)
        guard let start = nft.range(of: "\t\(header) {\n") else { return nil }
        let end = try XCTUnwrap(nft.range(of: "\n\t}\n", range: start.upperBound..<nft.endIndex), file: file, line: line)
        return String(nft[start.lowerBound..<end.upperBound])
    }

    static func assertBlock(_ header: String, of yaml: String, is expected: String,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        let got = try block(header, of: yaml, file: file, line: line)
        XCTAssertEqual(got, expected, "\n--- got:\n\(got ?? "(none)")--- expected:\n\(expected)", file: file, line: line)
    }
}
