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

/// Compiles an example's topology in memory.
func compileExample(_ name: String) throws -> CompileResult {
    let text = try readText(examplesDir.appendingPathComponent("\(name)/topology.yaml"))
    return try Compiler.compile(text, fileName: "topology.yaml")
}

/// Compiles a topology given as text, failing the test on errors.
func compileOK(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> CompileResult {
    let r = try Compiler.compile(text, fileName: "t.yaml")
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
