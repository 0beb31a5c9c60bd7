import Foundation
import XCTest
@testable import NetcCore

/// The repository root, found from this file's path.
let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let examplesDir = repoRoot.appendingPathComponent("examples")

/// Every example's name (a folder of examples/ with a topology.yaml).
func exampleNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: examplesDir.path)
        .filter { FileManager.default.fileExists(atPath: examplesDir.appendingPathComponent("\($0)/topology.yaml").path) }
        .sorted()
}

func readText(_ url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
}

/// Every file under `dir`, relative path -> contents.
func readTree(_ dir: URL) throws -> [String: String] {
    var out: [String: String] = [:]
    guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
    for case let url as URL in e where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
        let rel = String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))
        out[rel] = try readText(url)
    }
    return out
}

/// Compiles an example's topology in memory; with `servedBy`, every nat,
/// route and isolated network of it is served by that server (`libvirt`:
/// as by default, `networkd`: said explicitly), so that tests can run each
/// example against both servers.
func compileExample(_ name: String, servedBy server: GuestServer? = nil, edit: ((String) -> String)? = nil) throws -> CompileResult {
    var text = try readText(examplesDir.appendingPathComponent("\(name)/topology.yaml"))
    if let server { text = servedBy(server, text) }
    if let edit { text = edit(text) }
    return try Compiler.compile(text)
}

/// The topology text with each guest network's `served_by` set to `server`
/// (examples write `mode:` and `served_by:` on lines of their own). An
/// example that says `served_by: libvirt` itself uses what only libvirt
/// serves (DNS host records, several DHCP ranges): it stays as it is. For
/// networkd, a network's DHCPv6 range is left out (its guests take SLAAC
/// addresses instead: the dual-stack scenario checks whichever it got).
func servedBy(_ server: GuestServer, _ text: String) -> String {
    if text.contains("\n    served_by: libvirt") { return text }
    var out: [Substring] = []
    var inIPv6 = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("served_by:") { continue }
        // A network's `ipv6:` block: its one-line `dhcp` (a DHCPv6 range,
        // which networkd does not serve) is left out for networkd.
        if line.prefix(while: { $0 == " " }).count == 4 { inIPv6 = trimmed.hasPrefix("ipv6:") }
        if server == .networkd, inIPv6, trimmed.hasPrefix("dhcp: {") { continue }
        out.append(line)
        let indent = line.prefix { $0 == " " }
        if server == .networkd, ["mode: nat", "mode: route", "mode: isolated"].contains(where: { trimmed.hasPrefix($0) }) {
            out.append(indent + "served_by: networkd")
        }
    }
    return out.joined(separator: "\n")
}

/// Compiles a topology given as text, failing the test on errors.
func compileOK(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> CompileResult {
    let r = try Compiler.compile(text)
    XCTAssertFalse(r.hasErrors, "unexpected errors:\n" + DiagnosticFormatter.text(r.diagnostics, file: "t.yaml", source: text, color: false),
                   file: file, line: line)
    return r
}

/// A scratch folder removed at the end of the test.
func temporaryFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("netc-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}
