import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// The real consumers accept every example's output: libvirt's schema and
/// parser, the kernel's nftables, and systemd-networkd in a namespace.
final class ConsumerTests: XCTestCase {
    func testLibvirtSchemaAndParserAcceptEveryNetwork() throws {
        try HostTools.require(["virt-xml-validate", "virsh"], root: false, for: "libvirt consumer test")
        // An empty test-driver node: libvirt's default one already has a
        // network called 'default'.
        let node = try temporaryFolder(self).appendingPathComponent("node.xml")
        try Data("<node/>\n".utf8).write(to: node)
        var checked = 0
        for name in try exampleNames() {
          for server in GuestServer.allCases {
            let (dir, _) = try HostTools.build(example: name, servedBy: server, into: self)
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("libvirt").path).sorted() {
                let path = dir.appendingPathComponent("libvirt/\(file)").path
                let schema = try HostTools.run("virt-xml-validate", [path, "network"])
                XCTAssertEqual(schema.status, 0, "\(name)/libvirt/\(file) is not valid:\n\(schema.text)")
                let parser = try HostTools.run("virsh", ["-c", "test://\(node.path)", "net-define", path])
                XCTAssertEqual(parser.status, 0, "libvirt refused \(name)/libvirt/\(file) (served by \(server)):\n\(parser.text)")
                checked += 1
            }
          }
        }
        XCTAssertGreaterThanOrEqual(checked, 26)
    }

    func testNftablesAcceptsEveryRuleset() throws {
        try HostTools.require(["nft", "unshare"], root: false, for: "nftables consumer test")
        for name in try exampleNames() {
            let (dir, _) = try HostTools.build(example: name, into: self)
            let path = dir.appendingPathComponent("nftables/netc.nft").path
            // As root, a plain new netns (nft can raise its netlink buffer);
            // otherwise a user namespace.
            let r = try HostTools.run("unshare", (HostTools.isRoot ? ["-n"] : ["-rn"]) + ["nft", "-c", "-f", path])
            XCTAssertEqual(r.status, 0, "nft -c refused \(name)/nftables/netc.nft:\n\(r.text)")
        }
    }

    /// Network and reservation names reach the ruleset only in comments,
    /// and bridge names only quoted: every shape of name the format accepts
    /// gives a ruleset nft accepts, keywords and edge characters included.
    func testNftAcceptsTheRulesetWhateverTheNames() throws {
        try HostTools.require(["nft", "unshare"], root: false, for: "nftables consumer test")
        let names = ["-lead", ".dot", "a..b", "a-1", "9start", "x.y-z_", "_", "accept", "jump", "fwd", "ip", "tcp", "map",
                     "chain", "table", "return", "A" + String(repeating: "b", count: 63)]
        var yaml = "version: 1\ninterfaces:\n  eth0: {ipv4: {address: 203.0.113.10/24}}\nnetworks:\n"
        for (i, n) in names.enumerated() {
            yaml += "  \"\(n)\": {mode: nat, bridge: v\(i), uplink: eth0, ipv4: {subnet: 10.0.\(i).0/24, "
                + "reservations: {\"\(n)\": {mac: 52:54:00:00:00:\(String(format: "%02x", i + 1)), ip: 10.0.\(i).10}}}, "
                + "forwards: [{proto: tcp, port: \(1000 + i), to: \"\(n)\"}]}\n"
        }
        let files = try Snippet.compile(yaml)
        let nft = try XCTUnwrap(files.first { $0.path == "nftables/netc.nft" })
        for n in names { XCTAssert(nft.contents.contains("# network \(n): tcp"), n) }
        let dir = try temporaryFolder(self)
        let url = dir.appendingPathComponent("netc.nft")
        try Data(nft.bytes).write(to: url)
        let r = try HostTools.run("unshare", (HostTools.isRoot ? ["-n"] : ["-rn"]) + ["nft", "-c", "-f", url.path])
        XCTAssertEqual(r.status, 0, "nft -c refused the ruleset:\n\(r.text)")
    }

    /// Whatever builds is accepted by its consumers: damaged examples that
    /// still build (and build something other than the example) go through
    /// nft -c, virt-xml-validate and libvirt's parser. A sample per run;
    /// NETC_DAMAGE_SEED picks another.
    func testDamagedTopologiesThatStillBuildAreAcceptedByTheirConsumers() throws {
        try HostTools.require(["nft", "unshare", "virt-xml-validate", "virsh"], root: false, for: "consumer property test")
        let seed = ProcessInfo.processInfo.environment["NETC_DAMAGE_SEED"].flatMap { UInt64($0) } ?? 7_2026_12_02
        var rng = Damage.SplitMix(state: seed)
        let node = try temporaryFolder(self).appendingPathComponent("node.xml")
        try Data("<node/>\n".utf8).write(to: node)
        var sampled = 0, tries = 0
        while sampled < 24, tries < 3000 {
            tries += 1
            let name = try exampleNames().randomElement(using: &rng)!
            let original = try readText(examplesDir.appendingPathComponent("\(name)/topology.yaml"))
            let source = Damage.damaged(Array(original.unicodeScalars), using: &rng)
            let r = try Compiler.compile(source)
            guard !r.hasErrors, r.files != (try Compiler.compile(original)).files else { continue }
            sampled += 1
            let dir = try temporaryFolder(self)
            for f in r.files where f.path.hasPrefix("libvirt/") || f.path.hasPrefix("nftables/") {
                let url = dir.appendingPathComponent(f.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(f.bytes).write(to: url)
                if f.path.hasPrefix("nftables/") {
                    let c = try HostTools.run("unshare", (HostTools.isRoot ? ["-n"] : ["-rn"]) + ["nft", "-c", "-f", url.path])
                    XCTAssertEqual(c.status, 0, "nft -c refused the ruleset of this topology:\n\(source)\n\(c.text)")
                } else {
                    let v = try HostTools.run("virt-xml-validate", [url.path, "network"])
                    XCTAssertEqual(v.status, 0, "\(f.path) is not valid for this topology:\n\(source)\n\(v.text)")
                    let p = try HostTools.run("virsh", ["-c", "test://\(node.path)", "net-define", url.path])
                    XCTAssertEqual(p.status, 0, "libvirt refused \(f.path) of this topology:\n\(source)\n\(p.text)")
                }
            }
        }
        XCTAssertEqual(sampled, 24, "only \(sampled) damaged topologies built in \(tries) tries")
    }

    /// A mistake in a ruleset must make the check fail: the check is real.
    func testNftCheckRejectsABrokenRuleset() throws {
        try HostTools.require(["nft", "unshare"], root: false, for: "nftables consumer test")
        let (dir, _) = try HostTools.build(example: "nat", into: self)
        let url = dir.appendingPathComponent("nftables/netc.nft")
        try Data(try readText(url).replacingOccurrences(of: "masquerade to :1024-65535", with: "masquerade to :1024-").utf8).write(to: url)
        let r = try HostTools.run("unshare", (HostTools.isRoot ? ["-n"] : ["-rn"]) + ["nft", "-c", "-f", url.path])
        XCTAssertNotEqual(r.status, 0)
    }

    static let networkdScript = repoRoot.appendingPathComponent("Tests/consumers/networkd-netns.sh").path

    /// The arguments of networkd-netns.sh: NICs to create and what networkd
    /// must have done, read from the validated topology (skipping bonds and
    /// VLANs where the kernel cannot create them).
    static func expectations(_ t: Topology, bonds: Bool, vlans: Bool) -> [String] {
        var args: [String] = []
        var present = Set<String>()
        func isBond(_ i: Interface) -> Bool { if case .bond = i.kind { true } else { false } }
        for i in t.interfaces {
            switch i.kind {
            case .ethernet(let mac):
                args += ["--nic", i.name] + (mac.map { [$0.description] } ?? [])
            case .bond: if !bonds { continue }
            case .vlan(let v): if !vlans || (isBond(t[v.parent]) && !bonds) { continue }
            }
            present.insert(i.name)
            args += ["--link", i.name]
        }
        // Bridges networkd creates: bridge mode, and guest networks it
        // serves (libvirt creates the others).
        func networkdBridge(_ n: Network) -> Bridge? {
            if let g = n.guest { return g.server == .networkd ? g.bridge : nil }
            return n.bridge
        }
        for n in t.networks {
            guard let b = networkdBridge(n) else { continue }
            present.insert(b.name)
            args += ["--link", b.name]
        }
        func hostAddresses(_ h: HostAddressing) -> [CIDR] {
            h.families.compactMap { if case .cidr(let c)? = $0.address { c } else { nil } }
        }
        // A bridge networkd creates: spanning tree and forward delay as the
        // topology says (sysfs counts the delay in hundredths of a second).
        for n in t.networks {
            guard let b = networkdBridge(n) else { continue }
            args += ["--sys", b.name, "bridge/stp_state", b.stp ? "1" : "0"]
            if let d = b.forwardDelay { args += ["--sys", b.name, "bridge/forward_delay", "\(d * 100)"] }
            if let m = b.mtu { args += ["--sys", b.name, "mtu", "\(m)"] }
            // A bridge-mode bridge keeps its uplink's MAC, declared or not.
            if case .lan(let lan) = n.kind, case .ethernet = t[lan.uplink].kind {
                args += ["--same-mac", b.name, t[lan.uplink].name]
            }
        }
        for i in t.interfaces where present.contains(i.name) {
            if let m = i.mtu { args += ["--sys", i.name, "mtu", "\(m)"] }
            switch i.master {
            case .bond(let b)?: if present.contains(t[b].name) { args += ["--master", i.name, t[b].name] }
            case .bridge(let n)?: args += ["--master", i.name, t[n].bridge!.name]
            case nil: for a in hostAddresses(i.addressing) { args += ["--addr", i.name, a.description] }
            }
        }
        for n in t.networks {
            switch n.kind {
            case .lan(let lan):
                for a in hostAddresses(lan.addressing) { args += ["--addr", lan.bridge.name, a.description] }
            case .guest(let g):
                guard g.server == .networkd else { continue }
                for f in g.families { args += ["--addr", g.bridge.name, "\(f.gateway)/\(f.subnet.prefix)"] }
            case .macvtap:
                continue
            }
        }
        return args
    }

    func testNetworkdCreatesEveryLinkAndAddress() throws {
        try HostTools.require(["ip", "unshare", "systemd-networkd"], root: true, for: "systemd-networkd namespace test")
        let bonds = HostTools.kernelSupports("bond"), vlans = HostTools.kernelSupports("vlan")
        if !bonds || !vlans {
            print("note: this kernel cannot create \([bonds ? nil : "bonds", vlans ? nil : "VLANs"].compactMap { $0 }.joined(separator: " or ")); "
                  + "their files are still loaded and checked for complaints, their devices are not checked")
        }
        try Self.networkdOnEveryExample(root: nil, in: self)
    }

    /// networkd-netns.sh on every example's networkd files, each guest
    /// network served by libvirt and then by networkd (every guest
    /// network's DHCP server and router advertisement keys meet the real
    /// networkd): the machine's networkd, or with `root` another release's
    /// (NETWORKD_ROOT, StackTests).
    static func networkdOnEveryExample(root: URL?, in test: XCTestCase) throws {
        let bonds = HostTools.kernelSupports("bond"), vlans = HostTools.kernelSupports("vlan")
        let whose = root.map { "networkd of \($0.lastPathComponent)" } ?? "networkd"
        var checked = 0
        for name in try exampleNames() {
          for server in GuestServer.allCases {
            let (dir, topology) = try HostTools.build(example: name, servedBy: server, into: test)
            // An example whose links are all libvirt's has no networkd file.
            guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("networkd").path) else { continue }
            checked += 1
            let args = (root.map { ["NETWORKD_ROOT=\($0.path)"] } ?? []) + ["/bin/bash", Self.networkdScript, dir.appendingPathComponent("networkd").path]
                + Self.expectations(topology, bonds: bonds, vlans: vlans)
            let r = try HostTools.run("/usr/bin/env", args)
            XCTAssertEqual(r.status, 0, "\(whose), example \(name) served by \(server): \(args.joined(separator: " "))\n\(r.text)")
          }
        }
        XCTAssertGreaterThanOrEqual(checked, 14)
    }

    /// A bridge-mode bridge whose uplink has no carrier yet still gets its
    /// address (`ConfigureWithoutCarrier=yes` on every link netc creates).
    func testABridgeGetsItsAddressBeforeItsUplinkHasCarrier() throws {
        try HostTools.require(["ip", "unshare", "systemd-networkd"], root: true, for: "systemd-networkd namespace test")
        let (dir, topology) = try HostTools.build(example: "bridge", into: self)
        let args = [Self.networkdScript, dir.appendingPathComponent("networkd").path, "--no-carrier"]
            + Self.expectations(topology, bonds: false, vlans: false)
        XCTAssert(args.contains("192.0.2.10/24"), "\(args)")
        let r = try HostTools.run("/bin/bash", args)
        XCTAssertEqual(r.status, 0, "\(args.joined(separator: " "))\n\(r.text)")
    }

    /// Every bond option reaches networkd without a complaint (the kernel
    /// here cannot create bonds, so only the files are checked), and the
    /// bridge-mode bridge over a NIC without a declared MAC keeps its MAC.
    func testNetworkdAcceptsEveryBondOptionAndKeepsTheUplinksMAC() throws {
        try HostTools.require(["ip", "unshare", "systemd-networkd"], root: true, for: "systemd-networkd namespace test")
        let yaml = """
        version: 1
        interfaces:
          eno1: {}
          eno2: {}
          eno3: {}
          eno4: {}
          eth5: {}
          lacp0: {kind: bond, members: [eno1, eno2], bond_mode: 802.3ad, transmit_hash_policy: layer2+3, lacp_rate: slow, min_links: 2}
          ab0: {kind: bond, members: [eno3, eno4], primary: eno4, ipv6: false}
        networks:
          lan: {mode: bridge, bridge: br5, uplink: eth5, ipv4: {address: 192.0.2.10/24}}

        """
        let r0 = try compileOK(yaml)
        let t = try XCTUnwrap(r0.topology)
        let dir = try temporaryFolder(self)
        for f in r0.files where f.path.hasPrefix("networkd/") {
            let url = dir.appendingPathComponent(f.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(f.bytes).write(to: url)
        }
        let unit = try readText(dir.appendingPathComponent("networkd/10-netc-eno4.network"))
        XCTAssert(unit.contains("Bond=ab0\nPrimarySlave=yes\n"), unit)
        let args = [Self.networkdScript, dir.appendingPathComponent("networkd").path]
            + Self.expectations(t, bonds: HostTools.kernelSupports("bond"), vlans: false)
        XCTAssert(args.joined(separator: " ").contains("--same-mac br5 eth5"), "\(args)")
        let r = try HostTools.run("/bin/bash", args)
        XCTAssertEqual(r.status, 0, "\(args.joined(separator: " "))\n\(r.text)")
    }

    /// The sysctl file applies in a throwaway network namespace (the keys
    /// are per namespace), and sets what it says.
    func testSysctlAppliesEveryExamplesSettings() throws {
        try HostTools.require(["ip", "sysctl"], root: true, for: "sysctl consumer test")
        var checked = 0
        for name in try exampleNames() {
            let (dir, _) = try HostTools.build(example: name, into: self)
            let conf = dir.appendingPathComponent("sysctl/60-netc.conf")
            guard FileManager.default.fileExists(atPath: conf.path) else { continue }
            checked += 1
            let ns = "netc-sysctl-\(getpid())-\(name)"
            XCTAssertEqual(try HostTools.run("ip", ["netns", "add", ns]).status, 0)
            defer { _ = try? HostTools.run("ip", ["netns", "del", ns]) }
            let r = try HostTools.run("ip", ["netns", "exec", ns, "sysctl", "-p", conf.path])
            XCTAssertEqual(r.status, 0, "sysctl -p refused \(name)/sysctl/60-netc.conf:\n\(r.text)")
            for line in try readText(conf).split(separator: "\n") where !line.hasPrefix("#") {
                let kv = line.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                let now = try HostTools.run("ip", ["netns", "exec", ns, "sysctl", "-n", kv[0]])
                XCTAssertEqual(now.text.trimmingCharacters(in: .whitespacesAndNewlines), kv[1], "\(name): \(kv[0])")
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 4)
    }
}
