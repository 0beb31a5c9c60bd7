import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Packets between network namespaces, through the real systemd-networkd and
/// nftables, on each example's output (Tests/e2e/scenarios.sh).
final class EndToEndTests: XCTestCase {
    static let script = repoRoot.appendingPathComponent("Tests/e2e/scenarios.sh").path
    static let tools = ["ip", "nft", "busybox", "socat", "ping", "python3", "unshare", "systemd-networkd", "ss", "timeout",
                        "sysctl", "libvirtd", "virsh", "dnsmasq", "dig", "tcpdump"]

    /// Builds `example` (with every guest network served by `server`, or as
    /// written when nil) and runs `scenario` on it; returns its output.
    @discardableResult
    func run(_ scenario: String, on example: String, servedBy server: GuestServer? = nil,
             edit: ((String) -> String)? = nil, mutate: ((URL) throws -> Void)? = nil,
             expectSuccess: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try HostTools.require(Self.tools, root: true, for: "end-to-end scenario \(scenario)", file: file, line: line)
        let (dir, _) = try HostTools.build(example: example, servedBy: server, edit: edit, into: self)
        try mutate?(dir)
        let what = "scenario \(scenario) on examples/\(example)" + (server.map { " served by \($0)" } ?? "")
        return try run(scenario, in: dir, what: what, expectSuccess: expectSuccess, file: file, line: line)
    }

    /// Runs `scenario` on the OUT folder `dir`.
    @discardableResult
    func run(_ scenario: String, in dir: URL, what: String, expectSuccess: Bool = true,
             file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try HostTools.run("/bin/bash", [Self.script, scenario, dir.path])
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

    /// `host_services`: the guests reach what serving them needs and the
    /// listed ports of the host, nothing else of it.
    func testHostServicesLimitWhatGuestsReachOnTheHost() throws {
        for server in GuestServer.allCases {
            try run("host-services", on: "host-only", servedBy: server, edit: { text in
                let edited = text.replacingOccurrences(of: "    mtu: 1450\n", with: "    mtu: 1450\n    host_services:\n"
                    + "      - {proto: tcp, port: 22}\n      - {proto: udp, port: 5000-5001}\n")
                XCTAssertNotEqual(edited, text, "the host-only example has an mtu line to put host_services after")
                return edited
            })
        }
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
    /// back by the next, and a "reboot" that comes back at v2.
    func testApplyMakesTheHostMatchAndTouchesOnlyWhatChanged() throws {
        try HostTools.require(Self.tools + ["dbus-daemon", "networkctl", "script", "pkill"], root: true, for: "netc apply end-to-end test")
        let dir = try temporaryFolder(self)
        for v in ["v1", "v2", "v3", "v4"] {
            let r = try CLI.run(["build", repoRoot.appendingPathComponent("Tests/e2e/apply/\(v).yaml").path, "-o", dir.appendingPathComponent(v).path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let script = repoRoot.appendingPathComponent("Tests/e2e/apply.sh").path
        let r = try HostTools.run("/bin/bash", [script, CLI.binary.path] + ["v1", "v2", "v3", "v4"].map { dir.appendingPathComponent($0).path })
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
        XCTAssertGreaterThanOrEqual(r.text.components(separatedBy: "\nok: ").count - 1, 45, r.text)
    }

    /// `netc apply` and `netc status` with a real guest VM (QEMU under
    /// software emulation, started by libvirt's QEMU driver, its tap on the
    /// network's bridge; Tests/e2e/guests.sh): a reservation and a DHCP
    /// range taken live with no probe lost, a restart refused without
    /// --allow-guest-disruption and, with it, the tap plugged back and the
    /// guest upstream again from its new subnet, a removal refused, hand
    /// drift named by status and mended by apply, and a second apply that
    /// only reads.
    func testARunningGuestVMStaysConnectedAndStatusNamesDrift() throws {
        try HostTools.require(Self.tools + ["dbus-daemon", "networkctl", "qemu-system-x86_64", "apt-get", "dpkg-deb", "xz", "zstd"], root: true,
                              for: "netc apply with a real guest VM")
        let qemuDriver = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib").contains { arch in
            FileManager.default.fileExists(atPath: "/usr/lib/\(arch)/libvirt/connection-driver/libvirt_driver_qemu.so")
        }
        if !qemuDriver { try HostTools.require(["libvirt_driver_qemu.so"], root: true, for: "netc apply with a real guest VM") }
        // The guest's kernel and initramfs, built once into .build/guest.
        let guest = repoRoot.appendingPathComponent(".build/guest")
        let built = try HostTools.run("/bin/bash", [repoRoot.appendingPathComponent("Tests/vm/build-guest.sh").path, guest.path])
        XCTAssertEqual(built.status, 0, built.text)
        let dir = try temporaryFolder(self)
        let versions = ["g0", "g1", "g2", "g3", "g4", "g5"]
        for v in versions {
            let r = try CLI.run(["build", repoRoot.appendingPathComponent("Tests/e2e/guests/\(v).yaml").path, "-o", dir.appendingPathComponent(v).path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let script = repoRoot.appendingPathComponent("Tests/e2e/guests.sh").path
        let r = try HostTools.run("/bin/bash", [script, CLI.binary.path, guest.path] + versions.map { dir.appendingPathComponent($0).path })
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
        XCTAssertGreaterThanOrEqual(r.text.components(separatedBy: "\nok: ").count - 1, 27, r.text)
    }

    /// Bonds and VLANs for real: a topology with an LACP bond of two NICs,
    /// VLANs on it and a bridge on a VLAN (Tests/e2e/bonds/), built and
    /// brought up by networkd inside a guest VM, whose kernel has bonding
    /// and 802.1Q (this machine's has neither): both members in the bond,
    /// the VLAN ids and MTU, the addresses, and ARP answered on each VLAN,
    /// tagged (Tests/e2e/bonds.sh).
    func testBondsAndVLANsComeUpOnARealKernel() throws {
        try HostTools.require(["ip", "tcpdump", "python3", "busybox", "qemu-system-x86_64", "apt-get", "dpkg-deb", "xz", "zstd"], root: true,
                              for: "bonds and VLANs in a guest VM")
        let guest = repoRoot.appendingPathComponent(".build/guest")
        let built = try HostTools.run("/bin/bash", [repoRoot.appendingPathComponent("Tests/vm/build-guest.sh").path, guest.path])
        XCTAssertEqual(built.status, 0, built.text)
        let out = try temporaryFolder(self)
        let r0 = try CLI.run(["build", repoRoot.appendingPathComponent("Tests/e2e/bonds/topology.yaml").path, "-o", out.path])
        XCTAssertEqual(r0.status, 0, r0.stderr)
        let r = try HostTools.run("/bin/bash", [repoRoot.appendingPathComponent("Tests/e2e/bonds.sh").path, guest.path, out.path])
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
        XCTAssertEqual(r.text.split(separator: "\n").filter { $0.hasPrefix("ok: ") }.count, 11, r.text)
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
        let r = try HostTools.run("/bin/bash", [script, CLI.binary.path, xml, "default"])
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
        XCTAssertGreaterThanOrEqual(r.text.components(separatedBy: "\nok: ").count - 1, 9, r.text)
    }

    /// firewalld on the host (in the namespace, on a private bus): its
    /// default zone cuts guests off; the zone and commands of
    /// docs/install.md, read from there, bring them back, and no more.
    func testFirewalldWithTheDocumentedZone() throws {
        try HostTools.require(["firewalld", "firewall-cmd", "dbus-daemon"], root: true, for: "end-to-end scenario firewalld")
        try runForBothServers("firewalld", on: "nat")
    }

    /// ufw on the host: its defaults cut guests off, the openings in
    /// docs/install.md (read from there) bring them back, and no more.
    func testUFWWithTheDocumentedOpenings() throws {
        try HostTools.require(["ufw", "iptables"], root: true, for: "end-to-end scenario ufw")
        try runForBothServers("ufw", on: "nat")
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
