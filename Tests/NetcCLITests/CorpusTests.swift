import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Tests/corpus: realistic broken topologies, each rejected with exit 1, its
/// code at its line, and an earlier good build left untouched.
final class CorpusTests: XCTestCase {
    static let corpus = repoRoot.appendingPathComponent("Tests/corpus")

    func testEveryBrokenTopologyIsRejectedAndTouchesNothing() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 40)
        let out = try temporaryFolder(self)
        XCTAssertEqual(try CLI.run(["build", examplesDir.appendingPathComponent("datacenter/topology.yaml").path, "-o", out.path]).status, 0)
        try ageFiles(in: out)
        let before = try FolderSnapshot(out)
        for name in files {
            let path = Self.corpus.appendingPathComponent(name).path
            let header = try readText(URL(fileURLWithPath: path)).prefix { $0 != "\n" }
            let words = header.split(separator: " ")
            guard words.count >= 5, words[1] == "expect:", words[3] == "line", let line = Int(words[4]) else {
                XCTFail("\(name): first line must be '# expect: CODE line N', is '\(header)'")
                continue
            }
            let code = String(words[2])
            let r = try CLI.run(["build", path, "-o", out.path, "--diagnostics-format", "json"])
            XCTAssertEqual(r.status, 1, "\(name): \(r.stdout)\(r.stderr)")
            let diagnostics = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
            XCTAssert(diagnostics.contains { $0["code"] as? String == code && $0["line"] as? Int == line },
                      "\(name): expected \(code) at line \(line), got \(r.stdout)")
            XCTAssertEqual(try FolderSnapshot(out), before, "\(name) touched the output folder")
        }
    }
}
