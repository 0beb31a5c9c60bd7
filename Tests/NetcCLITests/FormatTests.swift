import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Machine-readable diagnostics, checked by parsing them.
final class FormatTests: XCTestCase {
    let text = """
    version: 1
    networks:
      lab:
        mode: isolated
        bridge: v1
        ipv4:
          subnet: 192.168.122.0/24
          gateway: 192.168.123.1
          dhcp: {start: 192.168.122.100, end: 192.168.122.200}
          reservations: {web: {mac: 52:54:00:00:00:01, ip: 192.168.122.150}}

    """

    func testJSONHasEveryFieldAndNothingElseOnStandardOutput() throws {
        let r = try CLI.run(["check", "-", "--diagnostics-format", "json"], stdin: text)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "")
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 2)
        let e = array[0]
        XCTAssertEqual(e["file"] as? String, "<stdin>")
        XCTAssertEqual(e["line"] as? Int, 8)
        XCTAssertEqual(e["column"] as? Int, 16)
        XCTAssertEqual(e["endLine"] as? Int, 8)
        XCTAssertEqual(e["endColumn"] as? Int, 29)
        XCTAssertEqual(e["severity"] as? String, "error")
        XCTAssertEqual(e["code"] as? String, "E203")
        XCTAssertEqual(e["message"] as? String, "gateway 192.168.123.1 is outside subnet 192.168.122.0/24")
        let note = try XCTUnwrap((e["notes"] as? [[String: Any]])?.first)
        XCTAssertEqual(note["line"] as? Int, 7)
        XCTAssertEqual(note["column"] as? Int, 15)
        XCTAssertEqual(array[1]["code"] as? String, "W701")
        XCTAssertEqual(array[1]["severity"] as? String, "warning")
    }

    func testJSONOfAValidTopologyIsAnEmptyArray() throws {
        let r = try CLI.run(["check", examplesDir.appendingPathComponent("nat/topology.yaml").path, "--diagnostics-format", "json"])
        XCTAssertEqual(r.status, 0)
        let array = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any]
        XCTAssertEqual(array?.count, 0)
    }

    func testSARIFHasWhatCodeScanningReads() throws {
        let r = try CLI.run(["check", "-", "--diagnostics-format", "sarif"], stdin: text)
        XCTAssertEqual(r.status, 1)
        let log = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 1)
        let driver = try XCTUnwrap((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "netc")
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.compactMap { $0["id"] as? String }, ["E203", "W701"], "one rule per code")
        XCTAssert(((rules[0]["help"] as? [String: Any])?["text"] as? String)?.contains("Fixed:") == true)
        let results = try XCTUnwrap(runs[0]["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 2)
        XCTAssertEqual(results[0]["ruleId"] as? String, "E203")
        XCTAssertEqual(results[0]["level"] as? String, "error")
        XCTAssertEqual((results[0]["message"] as? [String: Any])?["text"] as? String, "gateway 192.168.123.1 is outside subnet 192.168.122.0/24")
        let physical = try XCTUnwrap(((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        // A URI reference, so standard input's name is percent-encoded.
        XCTAssertEqual((physical["artifactLocation"] as? [String: Any])?["uri"] as? String, "%3Cstdin%3E")
        let region = try XCTUnwrap(physical["region"] as? [String: Any])
        XCTAssertEqual(region["startLine"] as? Int, 8)
        XCTAssertEqual(region["startColumn"] as? Int, 16)
        XCTAssertEqual(results[1]["level"] as? String, "warning")
    }

    /// SARIF names an absolute path as a file:// URI and a relative one as a
    /// relative reference, percent-encoded where a URI needs it.
    func testSARIFURIs() {
        let d = [Diagnostic(.gatewayOutsideSubnet("192.0.2.1", "198.51.100.0/24"), at: SourceRange(line: 1, column: 1))]
        for (file, uri) in [("/srv/netc/kvm 01.yaml", "file:///srv/netc/kvm%2001.yaml"), ("hosts/kvm01.yaml", "hosts/kvm01.yaml")] {
            let log = DiagnosticFormatter.sarif(d, file: file, version: "t")
            XCTAssert(log.contains("\"uri\": \"\(uri)\""), log)
        }
    }
}
