import Foundation
import XCTest
@testable import NetcCore

/// Packets between network namespaces, through the real systemd-networkd and
/// nftables, on each example's output (Tests/e2e/scenarios.sh).
final class EndToEndTests: XCTestCase {
    static let script = repoRoot.appendingPathComponent("Tests/e2e/scenarios.sh").path
    static let tools = ["ip", "nft", "busybox", "socat", "ping", "python3", "unshare", "systemd-networkd", "ss", "timeout",
                        "sysctl", "libvirtd", "virsh", "dnsmasq", "dig"]

    /// Builds `example` (with every guest network served by `server`, or as
    /// written when nil) and runs `scenario` on it; returns its output.
    @discardableResult
    func run(_ scenario: String, on example: String, servedBy server: GuestServer? = nil,
             edit: ((String) -> String)? = nil, mutate: ((URL) throws -> Void)? = nil,
             expectSuccess: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try Host.require(Self.tools, root: true, for: "end-to-end scenario \(scenario)", file: file, line: line)
        let (dir, _) = try Host.build(example: example, servedBy: server, edit: edit, into: self)
        try mutate?(dir)
        let r = try Host.run("/bin/bash", [Self.script, scenario, dir.path])
        let what = "scenario \(scenario) on examples/\(example)" + (server.map { " served by \($0)" } ?? "")
        if expectSuccess {
            XCTAssertEqual(r.status, 0, "\(what):\n\(r.text)", file: file, line: line)
        } else {
            XCTAssertNotEqual(r.status, 0, "\(what) passed on a broken ruleset:\n\(r.text)", file: file, line: line)
        }
        XCTAssert(r.text.contains("ok: "), "\(what) checked nothing:\n\(r.text)", file: file, line: line)
        return r.text
    }

    /// A scenario on guest networks runs twice: libvirt serving them, then
    /// networkd.
    func runForBothServers(_ scenario: String, on example: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for server in GuestServer.allCases { try run(scenario, on: example, servedBy: server, file: file, line: line) }
    }

    func testBridgeModeGuestsSitOnTheLAN() throws { try run("bridge", on: "bridge") }

    /// Without `mac` in the topology the bridge still keeps the NIC's MAC.
    func testABridgeModeBridgeKeepsAnUndeclaredMAC() throws {
        try run("bridge", on: "bridge", edit: { text in
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let kept = lines.filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("mac:") }
            XCTAssertEqual(kept.count, lines.count - 1, "the bridge example declares one mac")
            return kept.joined(separator: "\n")
        })
    }

    func testNATGuestsLeaseResolveGoOutMasqueradedAndAreUnreachable() throws { try runForBothServers("nat", on: "nat") }

    func testRoutedGuestsAreVisibleAndReachableUpstream() throws { try runForBothServers("routed", on: "routed") }

    func testHostOnlyGuestsReachTheHostOnlyWithoutARouter() throws { try runForBothServers("host-only", on: "host-only") }

    func testDualStackSLAACWithAndWithoutIPv6NAT() throws { try runForBothServers("dual-stack", on: "dual-stack") }

    func testForwardsPeersAndIsolationBetweenNetworks() throws { try runForBothServers("forwards", on: "port-forwards") }

    func testTheRulesetReloadsIdempotently() throws { try run("reload", on: "nat") }

    /// `netc apply` against the real networkd (over a private bus),
    /// libvirtd and nft (Tests/e2e/apply.sh): v1 from nothing, a dry run of
    /// v2, v2 touching only what changed, v2 again doing nothing, v3 rolled
    /// back without confirmation and kept with it, a killed apply rolled
    /// back by the next, and a "reboot" that comes back at v2.
    func testApplyMakesTheHostMatchAndTouchesOnlyWhatChanged() throws {
        try Host.require(Self.tools + ["dbus-daemon", "networkctl", "script", "pkill"], root: true, for: "netc apply end-to-end test")
        let dir = try temporaryFolder(self)
        for v in ["v1", "v2", "v3", "v4"] {
            let r = try CLI.run(["build", repoRoot.appendingPathComponent("Tests/e2e/apply/\(v).yaml").path, "-o", dir.appendingPathComponent(v).path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let script = repoRoot.appendingPathComponent("Tests/e2e/apply.sh").path
        let r = try Host.run("/bin/bash", [script, CLI.binary.path] + ["v1", "v2", "v3", "v4"].map { dir.appendingPathComponent($0).path })
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
        XCTAssertGreaterThanOrEqual(r.text.components(separatedBy: "\nok: ").count - 1, 45, r.text)
    }

    /// firewalld on the host (in the namespace, on a private bus): its
    /// default zone cuts guests off; the zone and commands of
    /// docs/install.md, read from there, bring them back, and no more.
    func testFirewalldWithTheDocumentedZone() throws {
        try Host.require(["firewalld", "firewall-cmd", "dbus-daemon"], root: true, for: "end-to-end scenario firewalld")
        try runForBothServers("firewalld", on: "nat")
    }

    /// ufw on the host: its defaults cut guests off, the openings in
    /// docs/install.md (read from there) bring them back, and no more.
    func testUFWWithTheDocumentedOpenings() throws {
        try Host.require(["ufw", "iptables"], root: true, for: "end-to-end scenario ufw")
        try runForBothServers("ufw", on: "nat")
    }

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
