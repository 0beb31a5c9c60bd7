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
    /// The root of `suite`; skipped loudly without it (a failure under CI=true).
    func root(_ suite: String, for test: String) throws -> URL {
        try HostTools.require(["unshare", "chroot", "debootstrap"], root: true, for: test)
        let root = repoRoot.appendingPathComponent(".build-stacks/\(suite)")
        guard let versions = try? readText(root.appendingPathComponent(".netc-stack")) else {
            let message = "SKIPPED \(test): no \(suite) root in .build-stacks/ (run `bash Tests/stacks/build.sh \(suite) .build-stacks/\(suite)`, as .ci/run does)"
            FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
            if HostTools.inCI { XCTFail("under CI=true a skip is a failure: \(message)") }
            throw XCTSkip(message)
        }
        print("\(test) on \(versions.trimmingCharacters(in: .whitespacesAndNewlines))")
        return root
    }

    /// trixie's root (required) and sid's, when it was built.
    func roots(for test: String) throws -> [(suite: String, root: URL)] {
        var out = [("trixie", try root("trixie", for: test))]
        let sid = repoRoot.appendingPathComponent(".build-stacks/sid")
        if let versions = try? readText(sid.appendingPathComponent(".netc-stack")) {
            print("\(test) on \(versions.trimmingCharacters(in: .whitespacesAndNewlines))")
            out.append(("sid", sid))
        } else {
            FileHandle.standardError.write(Data("\n*** SKIPPED \(test) on sid: no sid root in .build-stacks/ (the mirror may not serve it) ***\n\n".utf8))
        }
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

    /// The namespace scenarios of guest networks networkd serves, with
    /// Debian 13's networkd (257) in place of the machine's: DHCP (which
    /// from systemd 256 on leases only once persistent storage is ready:
    /// the harness does what systemd-networkd-persistent-storage.service
    /// does at boot, `networkctl persistent-storage yes`), router
    /// advertisements, SLAAC, forwards and peers, with that release's nft
    /// (NFT_ROOT) too.
    func testTrixieAndSidNetworkdServeTheGuestNetworkScenarios() throws {
        try HostTools.require(EndToEndTests.tools, root: true, for: "networkd scenarios of other releases")
        for (suite, root) in try roots(for: "networkd scenarios of other releases") {
        for (scenario, example) in [("host-only", "host-only"), ("nat", "nat"), ("routed", "routed"), ("dual-stack", "dual-stack"),
                                    ("forwards", "port-forwards")] {
            let (dir, _) = try HostTools.build(example: example, servedBy: .networkd, into: self)
            let r = try HostTools.run("/usr/bin/env", ["NETWORKD_ROOT=\(root.path)", "NFT_ROOT=\(root.path)", "/bin/bash",
                                                       EndToEndTests.script, scenario, dir.path])
            XCTAssertEqual(r.status, 0, "scenario \(scenario) on examples/\(example) served by \(suite)'s networkd:\n\(r.text)")
            XCTAssert(r.text.contains("ok: ") && r.text.hasSuffix("all checks passed\n"), "scenario \(scenario) checked nothing:\n\(r.text)")
        }
        }
    }

    /// The guest network scenarios as libvirt serves them, with Debian
    /// 13's whole stack: its libvirtd (11.3, network driver) and dnsmasq
    /// (2.91) chrooted (`start_libvirtd` with LIBVIRT_ROOT), its networkd
    /// for the host's links, and its nft (1.1.3, NFT_ROOT) for every nft
    /// the scenario runs.
    func testTrixieLibvirtServesTheGuestNetworkScenarios() throws {
        let root = try root("trixie", for: "Debian 13 libvirt scenarios")
        try HostTools.require(EndToEndTests.tools, root: true, for: "Debian 13 libvirt scenarios")
        for (scenario, example) in [("host-only", "host-only"), ("nat", "nat"), ("routed", "routed"), ("dual-stack", "dual-stack"),
                                    ("forwards", "port-forwards")] {
            let (dir, _) = try HostTools.build(example: example, servedBy: .libvirt, into: self)
            let r = try HostTools.run("/usr/bin/env", ["NETWORKD_ROOT=\(root.path)", "LIBVIRT_ROOT=\(root.path)", "NFT_ROOT=\(root.path)", "/bin/bash",
                                                       EndToEndTests.script, scenario, dir.path])
            XCTAssertEqual(r.status, 0, "scenario \(scenario) on examples/\(example) served by Debian 13's libvirt:\n\(r.text)")
            XCTAssert(r.text.contains("ok: ") && r.text.hasSuffix("all checks passed\n"), "scenario \(scenario) checked nothing:\n\(r.text)")
        }
    }
}
