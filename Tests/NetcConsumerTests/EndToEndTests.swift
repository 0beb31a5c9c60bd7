import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Packets between network namespaces, through the real systemd-networkd,
/// libvirtd, dnsmasq and nftables, on each example's output
/// (Tests/e2e/scenarios.sh), and `netc apply` against the same daemons
/// (Tests/e2e/apply.sh, adopt.sh): on the machine's own stack here, and on
/// Debian 13's in `Debian13EndToEndTests`, which inherits every test.
class EndToEndTests: XCTestCase {
    /// The Debian release whose stack runs the scripts (a root of
    /// `.build-stacks/`), or nil for the machine's own.
    class var stack: String? { nil }
    /// What makes the scripts run that stack (`Stacks.environment`).
    private(set) var environment: [String] = []

    override func setUpWithError() throws {
        if let suite = Self.stack { environment = Stacks.environment(try Stacks.root(suite, for: name)) }
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

    /// A route network's `inbound` list: the listed ports (a source-limited
    /// one, a UDP range) come in, nothing else does, and the guests' own
    /// connections still get their replies.
    func testARouteNetworksInboundListLetsInOnlyItsFlows() throws {
        try runForBothServers("routed-inbound", on: "routed", edit: { text in
            let edited = text.replacingOccurrences(of: "    domain: public.example\n", with: "    domain: public.example\n    inbound:\n"
                + "      - { proto: tcp, port: 8081 }\n      - { proto: tcp, port: 2222, from: [203.0.113.0/25] }\n      - { proto: udp, port: 5000-5001 }\n")
            XCTAssertNotEqual(edited, text, "the routed example has a domain line to put inbound after")
            return edited
        })
    }

    func testHostOnlyGuestsReachTheHostOnlyWithoutARouter() throws { try runForBothServers("host-only", on: "host-only") }

    /// `host_services`: the guests reach what serving them needs and the
    /// listed ports of the host, nothing else of it.
    func testHostServicesLimitWhatGuestsReachOnTheHost() throws {
        try runForBothServers("host-services", on: "host-only", edit: { text in
            let edited = text.replacingOccurrences(of: "    mtu: 1450\n", with: "    mtu: 1450\n    host_services:\n"
                + "      - {proto: tcp, port: 22}\n      - {proto: udp, port: 5000-5001}\n")
            XCTAssertNotEqual(edited, text, "the host-only example has an mtu line to put host_services after")
            return edited
        })
    }

    func testDualStackSLAACWithAndWithoutIPv6NAT() throws { try runForBothServers("dual-stack", on: "dual-stack") }

    func testForwardsPeersAndIsolationBetweenNetworks() throws { try runForBothServers("forwards", on: "port-forwards") }

    func testTheRulesetReloadsIdempotently() throws { try run("reload", on: "nat") }

    /// Spoofed injections into open flows (an outsider using a peer's
    /// address, an isolated guest using upstream's) with the host's
    /// rp_filter at 0, 1 and 2, and spoofed sources on the way out.
    func testSpoofedPacketsGoNowhere() throws { try run("spoofing", on: "port-forwards") }

    /// Packets conntrack cannot place, and UDP-Lite, never leave with a
    /// guest's own address.
    func testNothingLeavesUntranslated() throws { try run("untranslated", on: "nat") }

    /// Port security (table bridge netc): a guest claiming a reserved
    /// guest's address by ARP does not take over its port forward, and
    /// one claiming the gateway's does not poison its neighbours; with
    /// `lock_reservations: false` the takeover works again (the key does
    /// something), and without the gateway rule the poisoning does.
    func testGuestsCannotClaimReservedOrGatewayAddresses() throws {
        try run("port-security", on: "port-forwards")
        try run("port-security", on: "port-forwards", edit: { text in
            let edited = text.replacingOccurrences(of: "  web:\n    mode: nat\n", with: "  web:\n    mode: nat\n    security: {lock_reservations: false}\n")
            XCTAssertNotEqual(edited, text, "the port-forwards example has a nat network web")
            return edited
        })
        try run("port-security", on: "port-forwards", mutate: { dir in
            let file = dir.appendingPathComponent(OutputLayout.ruleset)
            let text = try readText(file)
            let broken = text.replacingOccurrences(of: "\t\tarp saddr ip @gateways_ipv4 drop\n", with: "")
            XCTAssertNotEqual(broken, text)
            try Data(broken.utf8).write(to: file)
        }, expectSuccess: false)
    }

    /// The host is no router between its own links: a second LAN (eth1)
    /// does not reach upstream through it, nor upstream the LAN; with
    /// `forwarding: true` on eth1 it does (the key does something).
    func testTheHostDoesNotRouteBetweenItsOwnLinks() throws {
        let lan2 = { (forwarding: Bool) in { (text: String) -> String in
            let edited = text.replacingOccurrences(of: "      dns: [203.0.113.53]\n", with: "      dns: [203.0.113.53]\n  eth1:\n"
                + (forwarding ? "    forwarding: true\n" : "") + "    ipv4: { address: 198.51.100.10/24 }\n")
            XCTAssertNotEqual(edited, text, "the nat example has eth0's dns line to add eth1 after")
            return edited
        } }
        try run("host-links", on: "nat", edit: lan2(false))
        try run("host-links", on: "nat", edit: lan2(true))
    }

    /// `isolate_guests`: two guests of one network reach the gateway and
    /// upstream but not each other; without it they do.
    func testIsolatedGuestsReachTheHostButNotEachOther() throws {
        try run("isolated-guests", on: "nat")
        try run("isolated-guests", on: "nat", edit: { text in
            let edited = text.replacingOccurrences(of: "    bridge: virbr0\n", with: "    bridge: virbr0\n    security: {isolate_guests: true}\n")
            XCTAssertNotEqual(edited, text)
            return edited
        })
    }

    /// Hairpin and SCTP get unprivileged source ports, and another table's
    /// masquerade loaded later does not take netc's over.
    func testEveryMasqueradeGivesUnprivilegedPorts() throws { try run("ports", on: "port-forwards") }

    func testMacvtapGuestsSitOnTheUplinksLAN() throws { try run("macvtap", on: "macvtap") }

    /// The host's own addressing and routing: a second address on the
    /// uplink (upstream reaches it; the first stays the source), static
    /// routes through a second router and a storage router, one in its own
    /// table with a metric, search domains in networkd's state, and NAT
    /// guests masqueraded to the primary address.
    func testTheHostsAddressesRoutesAndSearchDomains() throws { try run("routes", on: "host-routes") }

    /// The libvirt networks of Tests/import/, imported by `netc import
    /// libvirt` and built, give their guests what libvirt's mode gave them:
    /// the classic NAT network masquerades its guests out and lets nothing
    /// in, the routed one (IPv4 and IPv6) is reachable both ways, the
    /// isolated one keeps its guests on the host, the host bridge and the
    /// macvtap network put guests on the LAN. The host's own addressing,
    /// which libvirt's XML does not hold (W802), is added as a user would.
    func testImportedLibvirtNetworksKeepTheirReachability() throws {
        try HostTools.require(Self.tools, root: true, for: "end-to-end scenarios of imported networks")
        let eth0 = "  eth0:\n    ipv4: { address: 203.0.113.10/24, gateway: 203.0.113.1, dns: [203.0.113.53] }\n"
            + "    ipv6: { address: 2001:db8::10/64, gateway: 2001:db8::1 }\n"
        let lan = "    uplink: eth0\n    ipv4: { address: 192.0.2.10/24, gateway: 192.0.2.1, dns: [192.0.2.53] }\n"
        let cases: [(file: String, uplinks: [String: String], edit: (String, String)?, scenario: String)] = [
            ("default.xml", [:], nil, "import-default"),
            ("routed.xml", [:], ("  eth0: {}\n", eth0), "import-routed"),
            ("isolated.xml", [:], nil, "host-only"),
            ("bridge.xml", ["br0": "eth0"], ("    uplink: eth0\n", lan), "bridge"),
            ("macvtap.xml", [:], nil, "macvtap"),
        ]
        for c in cases {
            let xml = try Data(contentsOf: repoRoot.appendingPathComponent("Tests/import/\(c.file)"))
            let imported = try LibvirtImport.run([.init(name: c.file, bytes: Array(xml))], uplinks: c.uplinks)
            var text = try XCTUnwrap(imported.text, c.file)
            if let (from, to) = c.edit {
                XCTAssert(text.contains(from), "\(c.file) imported without '\(from)':\n\(text)")
                text = text.replacingOccurrences(of: from, with: to)
            }
            let built = try compileOK(text)
            let dir = try HostTools.write(built.files, into: self)
            try run(c.scenario, in: dir, what: "scenario \(c.scenario) on Tests/import/\(c.file) imported")
        }
    }

    /// `netc apply` against the real networkd (over a private bus),
    /// libvirtd and nft (Tests/e2e/apply.sh): v1 from nothing, a dry run of
    /// v2, v2 touching only what changed, v2 again doing nothing, v3 rolled
    /// back without confirmation and kept with it, a killed apply rolled
    /// back by the next, a "reboot" that comes back at v2, and v5's DHCPv6
    /// range taken live.
    func testApplyMakesTheHostMatchAndTouchesOnlyWhatChanged() throws {
        try HostTools.require(Self.tools + ["dbus-daemon", "networkctl", "script", "pkill"], root: true, for: "netc apply end-to-end test")
        let dir = try temporaryFolder(self)
        for v in ["v1", "v2", "v3", "v4", "v5"] {
            let r = try CLI.run(["build", repoRoot.appendingPathComponent("Tests/e2e/apply/\(v).yaml").path, "-o", dir.appendingPathComponent(v).path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let script = repoRoot.appendingPathComponent("Tests/e2e/apply.sh").path
        let r = try bash(script, [CLI.binary.path] + ["v1", "v2", "v3", "v4", "v5"].map { dir.appendingPathComponent($0).path })
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
        XCTAssertGreaterThanOrEqual(r.text.components(separatedBy: "\nok: ").count - 1, 45, r.text)
    }

    /// A fleet's overlays across three hosts (Tests/e2e/fleet.sh on
    /// examples/fleet): leases from each member's slice, guests reaching
    /// each other over VXLAN and upstream through their own host, the
    /// isolated overlay, a migrated guest, VXLAN from a non-member, the
    /// overlay's MTU.
    func testFleetOverlaysSpanHosts() throws {
        try HostTools.require(Self.tools + ["bridge"], root: true, for: "fleet end-to-end test")
        let dir = try temporaryFolder(self)
        let r = try CLI.run(["build", examplesDir.appendingPathComponent("fleet/fleet.yaml").path, "-o", dir.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try bash(repoRoot.appendingPathComponent("Tests/e2e/fleet.sh").path, [dir.path])
        XCTAssertEqual(run.status, 0, run.text)
        XCTAssert(run.text.hasSuffix("all checks passed\n"), run.text)
        XCTAssertGreaterThanOrEqual(run.text.components(separatedBy: "\nok: ").count - 1, 23, run.text)
    }

    /// `netc apply` of a fleet host's folder (Tests/e2e/fleet-apply.sh):
    /// examples/fleet's kvm3 joins lab (bridge, VXLAN link, libvirt's
    /// network up), then the fleet drops it from lab and apply takes the
    /// overlay down (its VXLAN link is no guest of the network), leaving
    /// the host's own network running; again, nothing to do.
    func testAFleetHostJoinsAndLeavesAnOverlayLive() throws {
        try HostTools.require(Self.tools + ["bridge", "dbus-daemon", "networkctl"], root: true, for: "fleet apply end-to-end test")
        let dir = try temporaryFolder(self)
        let fleetDir = dir.appendingPathComponent("fleet")
        try FileManager.default.copyItem(at: examplesDir.appendingPathComponent("fleet"), to: fleetDir)
        let fleet = fleetDir.appendingPathComponent("fleet.yaml")
        var r = try CLI.run(["build", fleet.path, "-o", dir.appendingPathComponent("member").path, "--host", "kvm3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try readText(fleet)
        let left = text.replacingOccurrences(of: "    mode: isolated\n    bridge: vxbr200\n", with: "    members: [kvm1, kvm2]\n    mode: isolated\n    bridge: vxbr200\n")
        XCTAssertNotEqual(left, text)
        try Data(left.utf8).write(to: fleet)
        r = try CLI.run(["build", fleet.path, "-o", dir.appendingPathComponent("left").path, "--host", "kvm3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try bash(repoRoot.appendingPathComponent("Tests/e2e/fleet-apply.sh").path,
                           [CLI.binary.path, dir.appendingPathComponent("member/kvm3").path, dir.appendingPathComponent("left/kvm3").path])
        XCTAssertEqual(run.status, 0, run.text)
        XCTAssert(run.text.hasSuffix("all checks passed\n"), run.text)
        XCTAssertGreaterThanOrEqual(run.text.components(separatedBy: "\nok: ").count - 1, 10, run.text)
    }

    /// A host whose libvirt runs the classic `default` network moves to
    /// netc (Tests/e2e/adopt.sh): import, build, apply refused, `--adopt`
    /// unconfirmed rolled back to libvirt's own network, `--adopt` kept
    /// with the same UUID, and a guest leases from netc's network.
    func testAnImportedNetworkIsAdoptedAndAnUnconfirmedAdoptionRolledBack() throws {
        // libvirt 9.0 starts its own NAT network (the one adopted) with iptables.
        try HostTools.require(Self.tools + ["iptables"], root: true, for: "netc apply --adopt end-to-end test")
        let script = repoRoot.appendingPathComponent("Tests/e2e/adopt.sh").path
        let xml = repoRoot.appendingPathComponent("Tests/import/default.xml").path
        let r = try bash(script, [CLI.binary.path, xml, "default"])
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
        XCTAssertGreaterThanOrEqual(r.text.components(separatedBy: "\nok: ").count - 1, 9, r.text)
    }

    /// firewalld on the host (in the namespace, on a private bus; on
    /// Debian 13, its firewalld 2.3 and ufw 0.36, FIREWALL_ROOT): its
    /// default zone cuts guests off; the zone and commands of
    /// docs/install.md, read from there, bring them back, and no more.
    func testFirewalldWithTheDocumentedZone() throws {
        try HostTools.require(["firewalld", "firewall-cmd", "dbus-daemon"], root: true, for: "end-to-end scenario firewalld")
        // The firewalld of this class's stack (Debian 13's is 2.x).
        for out in try runForBothServers("firewalld", on: "nat") where Self.stack == "trixie" {
            XCTAssert(out.contains("ok: firewalld 2."), out)
        }
    }

    /// ufw on the host: its defaults cut guests off, the openings in
    /// docs/install.md (read from there) bring them back, and no more.
    func testUFWWithTheDocumentedOpenings() throws {
        try HostTools.require(["ufw", "iptables"], root: true, for: "end-to-end scenario ufw")
        // The ufw and iptables of this class's stack (Debian 13's iptables is 1.8.11).
        for out in try runForBothServers("ufw", on: "nat") where Self.stack == "trixie" {
            XCTAssert(out.contains("is enabled, over iptables v1.8.11"), out)
        }
    }

    /// The harness can fail: without masquerade and rejects the NAT scenario
    /// must report what broke.
    func testABrokenRulesetFailsTheNATScenario() throws {
        let out = try run("nat", on: "nat", mutate: { dir in
            let url = dir.appendingPathComponent("nftables/netc.nft")
            // Drop the masquerade, untranslated-guard and reject rules only:
            // the rest of the table (maps, chains) stays, and the ruleset
            // still loads.
            let kept = try readText(url).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasSuffix(" masquerade") && !$0.contains(" masquerade to ") && !$0.contains("reject with")
                    && !$0.contains("@masquerade_ipv4 drop") }
            try Data(kept.joined(separator: "\n").utf8).write(to: url)
            let check = try HostTools.run("unshare", ["-n", "nft", "-c", "-f", url.path])
            XCTAssertEqual(check.status, 0, "the broken ruleset must still load:\n\(check.text)")
        }, expectSuccess: false)
        XCTAssert(out.contains("FAIL: upstream sees the host's uplink address"), out)
        XCTAssert(out.contains("FAIL: upstream opening a connection to a NAT guest"), out)
    }
}

/// Every test above on Debian 13's stack (systemd 257, libvirt 11.3,
/// nftables 1.1.3, dnsmasq 2.91), its programs run from the root that
/// `.ci/run` builds (Tests/stacks/build.sh): the networkd scenarios, the
/// guest network scenarios as its libvirtd and dnsmasq serve them, the
/// attack scenarios against its nft, and `netc apply` and `--adopt` with
/// its networkctl, virsh and daemons.
final class Debian13EndToEndTests: EndToEndTests {
    override class var stack: String? { "trixie" }

    /// The scripts run Debian 13's programs, not the machine's: the nft,
    /// networkctl and virsh on the harness's PATH are the root's (and so
    /// are the daemons start_networkd and start_libvirtd run).
    func testTheScriptsRunDebian13sPrograms() throws {
        let harness = repoRoot.appendingPathComponent("Tests/e2e/harness.sh").path
        let r = try HostTools.run("/usr/bin/env", environment + ["/bin/bash", "-c",
            "source \(harness); nft --version; networkctl --version | head -n1; virsh --version"])
        XCTAssertEqual(r.status, 0, r.text)
        let lines = r.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, r.text)
        XCTAssert(lines.first?.hasPrefix("nftables v1.1.") == true, r.text)
        XCTAssert(lines.dropFirst().first?.hasPrefix("systemd 257 ") == true, r.text)
        XCTAssert(lines.last?.hasPrefix("11.") == true, r.text)
    }
}
