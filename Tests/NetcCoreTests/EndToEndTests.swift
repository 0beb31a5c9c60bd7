import Foundation
import XCTest
@testable import NetcCore

/// Packets between network namespaces, through the real systemd-networkd and
/// nftables, on each example's output (Tests/e2e/scenarios.sh).
final class EndToEndTests: XCTestCase {
    static let script = repoRoot.appendingPathComponent("Tests/e2e/scenarios.sh").path
    static let tools = ["ip", "nft", "busybox", "socat", "ping", "python3", "unshare", "systemd-networkd", "ss", "timeout"]

    /// Builds `example` and runs `scenario` on it; returns the scenario's output.
    @discardableResult
    func run(_ scenario: String, on example: String, mutate: ((URL) throws -> Void)? = nil,
             expectSuccess: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try Host.require(Self.tools, root: true, for: "end-to-end scenario \(scenario)", file: file, line: line)
        let (dir, _) = try Host.build(example: example, into: self)
        try mutate?(dir)
        let r = try Host.run("/bin/bash", [Self.script, scenario, dir.path])
        if expectSuccess {
            XCTAssertEqual(r.status, 0, "scenario \(scenario) on examples/\(example):\n\(r.text)", file: file, line: line)
        } else {
            XCTAssertNotEqual(r.status, 0, "scenario \(scenario) passed on a broken ruleset:\n\(r.text)", file: file, line: line)
        }
        XCTAssert(r.text.contains("ok: "), "scenario \(scenario) checked nothing:\n\(r.text)", file: file, line: line)
        return r.text
    }

    func testBridgeModeGuestsSitOnTheLAN() throws { try run("bridge", on: "bridge") }

    func testNATGuestsLeaseGoOutMasqueradedAndAreUnreachable() throws { try run("nat", on: "nat") }

    func testRoutedGuestsAreVisibleAndReachableUpstream() throws { try run("routed", on: "routed") }

    func testHostOnlyGuestsReachTheHostOnly() throws { try run("host-only", on: "host-only") }

    func testDualStackSLAACWithAndWithoutIPv6NAT() throws { try run("dual-stack", on: "dual-stack") }

    func testForwardsPeersAndIsolationBetweenNetworks() throws { try run("forwards", on: "port-forwards") }

    func testTheRulesetReloadsIdempotently() throws { try run("reload", on: "nat") }

    /// The harness can fail: without masquerade and rejects the NAT scenario
    /// must report what broke.
    func testABrokenRulesetFailsTheNATScenario() throws {
        let out = try run("nat", on: "nat", mutate: { dir in
            let url = dir.appendingPathComponent("nftables/netc.nft")
            // Drop the masquerade and reject rules only: the rest of the
            // table (maps, chains) stays, and the ruleset still loads.
            let kept = try readText(url).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasSuffix(" masquerade") && !$0.contains(" masquerade to ") && !$0.contains("reject with") }
            try Data(kept.joined(separator: "\n").utf8).write(to: url)
            let check = try Host.run("unshare", ["-n", "nft", "-c", "-f", url.path])
            XCTAssertEqual(check.status, 0, "the broken ruleset must still load:\n\(check.text)")
        }, expectSuccess: false)
        XCTAssert(out.contains("FAIL: upstream sees the host's uplink address"), out)
        XCTAssert(out.contains("FAIL: upstream opening a connection to a NAT guest"), out)
    }
}
