import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Other Debian releases' consumers accept every example's output:
/// Debian 13 (trixie: systemd 257, libvirt 11.3, nftables 1.1.3, dnsmasq
/// 2.91) and sid (systemd 262, nftables 1.1.7: nft and networkd only), their
/// programs run from root folders that `.ci/run` builds
/// (Tests/stacks/build.sh), chrooted, in namespaces of the test's own.
/// sid may be missing (the mirror may not serve it): then its part is
/// skipped with a loud line, even under CI=true.
final class StackTests: XCTestCase {
    func root(_ suite: String, for test: String) throws -> URL { try Stacks.root(suite, for: test) }

    /// trixie's root (required) and sid's, when it was built.
    func roots(for test: String) throws -> [(suite: String, root: URL)] {
        var out = [("trixie", try root("trixie", for: test))]
        if let sid = try? Stacks.root("sid", for: test, optional: true) { out.append(("sid", sid)) }
        return out
    }

    /// `bytes` as a file inside the root, removed after the test; its path
    /// as the chroot sees it.
    func put(_ bytes: [UInt8], as name: String, in root: URL) throws -> String {
        let folder = "tmp/netc-test-\(UUID().uuidString)"
        let url = root.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url.appendingPathComponent(name))
        return "/\(folder)/\(name)"
    }

    /// nft 1.1.3 checks and loads every example's ruleset, and lists netc's
    /// tables (and only those) back.
    func testTrixieAndSidNftLoadEveryRuleset() throws {
        for (suite, root) in try roots(for: "nftables of other releases") {
        for name in try exampleNames() {
            let (dir, _) = try HostTools.build(example: name, into: self)
            let bytes = Array(try Data(contentsOf: dir.appendingPathComponent(OutputLayout.ruleset)))
            let path = try put(bytes, as: "netc.nft", in: root)
            let r = try HostTools.run("unshare", ["-n", "chroot", root.path, "sh", "-c", "nft -c -f \(path) && nft -f \(path) && nft list tables"])
            var expected = "table inet netc\n"
            if String(decoding: bytes, as: UTF8.self).contains("\ntable bridge netc {\n") { expected += "table bridge netc\n" }
            XCTAssertEqual(r.status, 0, "\(suite)'s nft refused \(name)'s ruleset:\n\(r.text)")
            XCTAssertEqual(r.text, expected, "\(suite): \(name)")
        }
        }
    }

    /// libvirt 11.3's schema and parser take every network; what it lists
    /// back (double quotes, its UUID and MAC added) is the same network to
    /// apply and status (`LibvirtDefinition`: same shape, same entries).
    func testTrixieLibvirtAcceptsEveryNetworkAndListsItBackTheSame() throws {
        let root = try root("trixie", for: "Debian 13 libvirt test")
        let node = try put(Array("<node/>\n".utf8), as: "node.xml", in: root)
        var checked = 0
        for name in try exampleNames() {
            for server in GuestServer.allCases {
                let (dir, _) = try HostTools.build(example: name, servedBy: server, into: self)
                for file in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("libvirt").path).sorted() {
                    let bytes = Array(try Data(contentsOf: dir.appendingPathComponent("libvirt/\(file)")))
                    let path = try put(bytes, as: file, in: root)
                    let schema = try HostTools.run("chroot", [root.path, "virt-xml-validate", path, "network"])
                    XCTAssertEqual(schema.status, 0, "libvirt 11's schema refused \(name)/libvirt/\(file):\n\(schema.text)")
                    let network = String(file.dropLast(4))
                    let listed = try HostTools.run("chroot", [root.path, "virsh", "-q", "-c", "test://\(node)",
                                                               "net-define \(path); net-dumpxml \(network)"])
                    XCTAssertEqual(listed.status, 0, "libvirt 11 refused \(name)/libvirt/\(file) (served by \(server)):\n\(listed.text)")
                    let xml = listed.text.range(of: "<network").map { String(listed.text[$0.lowerBound...]) } ?? ""
                    let theirs = try XCTUnwrap(LibvirtDefinition(Array(xml.utf8)), "libvirt 11 listed no network:\n\(listed.text)")
                    let ours = try XCTUnwrap(LibvirtDefinition(bytes))
                    // libvirt's test driver keeps no <dnsmasq:options> (its
                    // network driver does: the namespace scenarios run it).
                    var shape = ours.shape
                    shape.children.removeAll { $0.name == "dnsmasq:options" }
                    shape.attributes.removeAll { $0.name == "xmlns:dnsmasq" }
                    XCTAssertEqual(theirs.shape, shape, "libvirt 11 lists \(name)/libvirt/\(file) as another network:\n\(xml)")
                    XCTAssertEqual(theirs.entries, ours.entries, "\(name)/libvirt/\(file)")
                    XCTAssertTrue(theirs.ownedByNetc, "\(name)/libvirt/\(file): libvirt 11 dropped netc's metadata")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 26)
    }

    /// networkd 257 loads every example's files without a complaint and
    /// brings up every link and address, as the machine's networkd does
    /// (Tests/consumers/networkd-netns.sh with NETWORKD_ROOT).
    func testTrixieAndSidNetworkdCreateEveryLinkAndAddress() throws {
        for (_, root) in try roots(for: "systemd-networkd of other releases") {
            try ConsumerTests.networkdOnEveryExample(root: root, in: self)
        }
    }

    /// sid's networkd (262) serving guest networks in the namespace
    /// scenarios: DHCP (which from systemd 256 on leases only once
    /// persistent storage is ready: the harness does what
    /// systemd-networkd-persistent-storage.service does at boot,
    /// `networkctl persistent-storage yes`; without it no guest of 257 or
    /// 262 leases), router advertisements, SLAAC, forwards and peers, with
    /// sid's nft (1.1.7) too. Debian 13's run in Debian13EndToEndTests.
    func testSidNetworkdServesTheGuestNetworkScenarios() throws {
        try HostTools.require(EndToEndTests.tools, root: true, for: "sid's networkd scenarios")
        let root = try Stacks.root("sid", for: "sid's networkd scenarios", optional: true)
        for (scenario, example) in [("host-only", "host-only"), ("nat", "nat"), ("routed", "routed"), ("dual-stack", "dual-stack"),
                                    ("forwards", "port-forwards")] {
            let (dir, _) = try HostTools.build(example: example, servedBy: .networkd, into: self)
            let r = try HostTools.run("/usr/bin/env", Stacks.environment(root, libvirt: false) + ["/bin/bash", EndToEndTests.script, scenario, dir.path])
            XCTAssertEqual(r.status, 0, "scenario \(scenario) on examples/\(example) served by sid's networkd:\n\(r.text)")
            XCTAssert(r.text.contains("ok: ") && r.text.hasSuffix("all checks passed\n"), "scenario \(scenario) checked nothing:\n\(r.text)")
        }
    }

    /// libvirt 12.8 (sid) no longer switches the host's forwarding on when
    /// it starts a network of netc's (`<forward mode='open'/>`); libvirt
    /// 9.0 and 11.3 did (IPv4 always, IPv6 when the network has IPv6).
    /// netc's sysctl file is what turns it on: with it, NAT and routed IPv6
    /// guests of sid's libvirt and dnsmasq (2.93) reach upstream, and get
    /// their IPv6 default route (dnsmasq 2.93 advertises a router lifetime
    /// of 1800 s whether forwarding is on or not); without the file's
    /// forwarding lines, sid's guests are cut off while Debian 13's libvirt
    /// still lets them through.
    func testSidLibvirtLeavesForwardingToNetcsSysctlFile() throws {
        try HostTools.require(EndToEndTests.tools, root: true, for: "sid's libvirt scenarios")
        let sid = try Stacks.root("sid", for: "sid's libvirt scenarios", optional: true)
        guard FileManager.default.fileExists(atPath: sid.appendingPathComponent("usr/sbin/libvirtd").path) else {
            return XCTFail("the sid root has no libvirtd: rebuild it (rm -rf .build-stacks/sid; bash Tests/stacks/build.sh sid .build-stacks/sid)")
        }
        let trixie = try root("trixie", for: "sid's libvirt scenarios")
        for (scenario, example) in [("nat", "nat"), ("dual-stack", "dual-stack")] {
            let (dir, _) = try HostTools.build(example: example, servedBy: .libvirt, into: self)
            var r = try HostTools.run("/usr/bin/env", Stacks.environment(sid) + ["/bin/bash", EndToEndTests.script, scenario, dir.path])
            XCTAssertEqual(r.status, 0, "scenario \(scenario) on examples/\(example) served by sid's libvirt:\n\(r.text)")
            XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
            // The same output without forwarding in its sysctl file.
            let sysctl = dir.appendingPathComponent(OutputLayout.sysctl)
            let text = try readText(sysctl)
            let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("forwarding") && !$0.contains("ip_forward") }
            XCTAssertLessThan(kept.count, text.split(separator: "\n", omittingEmptySubsequences: false).count, "\(example)'s sysctl file turns forwarding on")
            try Data(kept.joined(separator: "\n").utf8).write(to: sysctl)
            r = try HostTools.run("/usr/bin/env", Stacks.environment(sid) + ["/bin/bash", EndToEndTests.script, scenario, dir.path])
            XCTAssertNotEqual(r.status, 0, "sid's libvirt turned forwarding on after all (\(scenario)):\n\(r.text)")
            XCTAssert(r.text.contains("FAIL: ") && r.text.contains("upstream sees"), "sid without the sysctl file (\(scenario)):\n\(r.text)")
            r = try HostTools.run("/usr/bin/env", Stacks.environment(trixie) + ["/bin/bash", EndToEndTests.script, scenario, dir.path])
            XCTAssertEqual(r.status, 0, "Debian 13's libvirt no longer turns forwarding on (\(scenario)): the support matrix must say so:\n\(r.text)")
        }
    }
}
