import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Sources/NetcCore/Apply/ApplyPlan.swift: what apply does for each kind of
/// change, without a host.
final class ApplyPlanTests: XCTestCase {
    typealias Plan = ApplyPlan

    func built(_ yaml: String) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for f in try compileOK(yaml).files { out[f.path] = f.bytes }
        return out
    }

    /// The host after a complete apply of `b`.
    func applied(_ b: [String: [UInt8]]) throws -> Plan.HostState {
        var host = Plan.HostState(bootUnitEnabled: true, rulesetLoaded: true)
        for a in try Plan.make(built: b, host: Plan.HostState()) {
            if case .write(let p, let bytes) = a { host.files[p] = bytes }
        }
        for path in b.keys where path.hasPrefix("libvirt/") {
            host.libvirt[String(path.dropFirst(8).dropLast(4))] = .init(ownedByNetc: true, active: true, autostart: true)
        }
        return host
    }

    let v1 = """
    version: 1
    interfaces:
      eth0: {ipv4: {address: 203.0.113.10/24}}
      eno1: {}
      vl5: {kind: vlan, parent: eno1, id: 5}
    networks:
      default:
        mode: nat
        bridge: virbr0
        ipv4: {subnet: 192.168.122.0/24, reservations: {web1: {mac: 52:54:00:00:00:10, ip: 192.168.122.10}}}
      old: {mode: isolated, bridge: virbr9, ipv4: {subnet: 10.9.0.0/24}}

    """

    func testFromNothingEverythingIsInstalledThenLoaded() throws {
        let actions = try Plan.make(built: try built(v1), host: Plan.HostState(), root: "/")
        let lines = actions.map(\.description)
        XCTAssertEqual(lines.filter { $0.hasPrefix("install ") }, [
            "install /etc/netc/netc.nft", "install /etc/sysctl.d/60-netc.conf",
            "install /etc/systemd/network/10-netc-eno1.network", "install /etc/systemd/network/10-netc-eth0.network",
            "install /etc/systemd/network/30-netc-vl5.netdev", "install /etc/systemd/network/30-netc-vl5.network",
            "install /etc/systemd/system/netc-nftables.service",
            "install /etc/netc/libvirt/default.xml", "install /etc/netc/libvirt/old.xml",
        ])
        let runs = lines.filter { $0.hasPrefix("run ") }
        XCTAssertEqual(Array(runs.prefix(6)), [
            "run sysctl -q -p /etc/sysctl.d/60-netc.conf", "run networkctl reload",
            "run networkctl reconfigure eno1", "run networkctl reconfigure eth0", "run networkctl reconfigure vl5",
            "run nft -c -f /etc/netc/netc.nft",
        ])
        XCTAssert(lines.contains("link /etc/systemd/system/multi-user.target.wants/netc-nftables.service -> /etc/systemd/system/netc-nftables.service"))
        // Each libvirt copy is written after its network is started.
        let start = try XCTUnwrap(lines.firstIndex(of: "run virsh net-start default"))
        XCTAssertEqual(lines[start + 1], "install /etc/netc/libvirt/default.xml")
        // A network libvirt does not have yet has no UUID or MAC to keep.
        XCTAssert(lines.contains("run virsh net-define (network default)"), "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("keeping its UUID") }, "\(lines)")
    }

    /// A libvirt network laid out otherwise (double quotes, as libvirt 11
    /// lists them; other indentation; attributes on lines of their own):
    /// what a reformatted template, or a copy written by another version,
    /// looks like.
    static func reformatted(_ bytes: [UInt8]) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "'", with: "\"")
        text = text.replacingOccurrences(of: "\n  ", with: "\n\t\t").replacingOccurrences(of: "\" ", with: "\"\n      ")
        return Array(text.utf8)
    }

    /// Apply reads what a libvirt network holds with an XML parser: a copy
    /// laid out otherwise means the same network (nothing to do to libvirt,
    /// the copy is rewritten), and a changed reservation in it is still
    /// taken live, not by a restart.
    func testALibvirtNetworkLaidOutOtherwiseIsTheSameNetwork() throws {
        let b = try built(v1)
        var host = try applied(b)
        let copy = "etc/netc/libvirt/default.xml"
        let original = try XCTUnwrap(host.files[copy])
        host.files[copy] = Self.reformatted(original)
        XCTAssertNotEqual(host.files[copy], original)
        // No daemon is touched: the copy is brought to OUT's bytes, and the
        // apply after that does nothing at all.
        let actions = try Plan.make(built: b, host: host)
        XCTAssertEqual(actions.map(\.description), ["install /\(copy)"])
        var after = host
        for case .write(let p, let bytes) in actions { after.files[p] = bytes }
        XCTAssertEqual(try Plan.make(built: b, host: after), [])

        // The reserved address is locked in table bridge netc: the ruleset
        // changes with it.
        let b2 = try built(v1.replacingOccurrences(of: "ip: 192.168.122.10", with: "ip: 192.168.122.11"))
        XCTAssertEqual(try Plan.make(built: b2, host: host).map(\.description), [
            "install /etc/netc/netc.nft", "run nft -c -f /etc/netc/netc.nft", "run nft -f /etc/netc/netc.nft",
            "run virsh net-update default delete ip-dhcp-host <host mac='52:54:00:00:00:10' name='web1' ip='192.168.122.10'/> --parent-index 0 --live --config",
            "run virsh net-update default add ip-dhcp-host <host mac='52:54:00:00:00:10' name='web1' ip='192.168.122.11'/> --parent-index 0 --live --config",
            "install /\(copy)",
        ])
    }

    /// Ownership and identity come from the parsed XML, whatever its quotes.
    func testLibvirtDefinitionReadsOwnershipAndIdentity() throws {
        let b = try built(v1)
        let xml = try XCTUnwrap(b["libvirt/default.xml"])
        let ours = try XCTUnwrap(LibvirtDefinition(Self.reformatted(xml)))
        XCTAssertTrue(ours.ownedByNetc)
        XCTAssertEqual(ours.name, "default")
        let foreign = try XCTUnwrap(LibvirtDefinition(Array("""
            <network>
              <name>default</name>
              <uuid>0d2f3a4e-0000-4000-8000-000000000001</uuid>
              <metadata><other:x xmlns:other="urn:example:other"/></metadata>
              <mac address="52:54:00:12:34:56"/>
            </network>
            """.utf8)))
        XCTAssertFalse(foreign.ownedByNetc)
        let carried = String(decoding: foreign.identity(into: xml), as: UTF8.self)
        XCTAssert(carried.contains("<name>default</name>\n  <uuid>0d2f3a4e-0000-4000-8000-000000000001</uuid>\n  <mac address='52:54:00:12:34:56'/>\n"), carried)
        let again = try XCTUnwrap(LibvirtDefinition(Array(carried.utf8)))
        XCTAssertEqual(again.uuid, "0d2f3a4e-0000-4000-8000-000000000001")
        XCTAssertEqual(again.mac, "52:54:00:12:34:56")
        XCTAssertNil(LibvirtDefinition(Array("not xml".utf8)))
    }

    /// Every file a build writes has a role in the layout, and goes where
    /// its owner reads it.
    func testEveryBuiltFileHasARoleAndAnInstalledPlace() throws {
        for name in try exampleNames() {
            for f in try compileExample(name).files {
                let role = try XCTUnwrap(OutputLayout.role(of: f.path), "\(name): \(f.path)")
                let installed = OutputLayout.Installed.path(of: role)
                XCTAssertEqual(OutputLayout.Installed.role(of: installed), role)
                XCTAssertEqual(OutputLayout.Installed.outPath(of: installed), f.path)
            }
        }
        XCTAssertNil(OutputLayout.role(of: "networkd/README"))
        XCTAssertNil(OutputLayout.role(of: "networkd/x-netc-eth0.network"))
        XCTAssertEqual(OutputLayout.role(of: "networkd/40-netc-virbr0.netdev"),
                       .networkd(link: "virbr0", kind: .netdev, fileName: "40-netc-virbr0.netdev"))
    }

    /// The boot unit loads the ruleset at boot and again after every restart
    /// or reload of nftables.service (whose file flushes the whole ruleset),
    /// after it, with the same command.
    func testTheBootUnitFollowsNftablesServicesRestartsAndReloads() {
        let lines = Plan.bootUnit.split(separator: "\n").map(String.init)
        for line in ["After=nftables.service", "PartOf=nftables.service", "ReloadPropagatedFrom=nftables.service",
                     "ExecStart=/usr/sbin/nft -f /etc/netc/netc.nft", "ExecReload=/usr/sbin/nft -f /etc/netc/netc.nft"] {
            XCTAssert(lines.contains(line), "the boot unit has no \(line)")
        }
    }

    func testTheSameOUTTwiceDoesNothing() throws {
        let b = try built(v1)
        XCTAssertEqual(try Plan.make(built: b, host: try applied(b)), [])
    }

    /// A changed reservation of a running network is taken live; a changed
    /// address restarts it; a removed network is destroyed and undefined.
    func testLibvirtChangesLiveOrByRestartAndRemoval() throws {
        let host = try applied(try built(v1))
        let hosts = v1.replacingOccurrences(of: "ip: 192.168.122.10}", with: "ip: 192.168.122.11}")
            .replacingOccurrences(of: "\n  old: {mode: isolated, bridge: virbr9, ipv4: {subnet: 10.9.0.0/24}}\n", with: "\n")
        let lines = try Plan.make(built: try built(hosts), host: host).map(\.description)
        XCTAssert(lines.contains("run virsh net-update default delete ip-dhcp-host <host mac='52:54:00:00:00:10' name='web1' ip='192.168.122.10'/> --parent-index 0 --live --config"), "\(lines)")
        XCTAssert(lines.contains("run virsh net-update default add ip-dhcp-host <host mac='52:54:00:00:00:10' name='web1' ip='192.168.122.11'/> --parent-index 0 --live --config"), "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("net-destroy default") || $0.contains("net-define (network default") }, "\(lines)")
        XCTAssertEqual(lines.filter { $0.contains("old") }, ["run virsh net-destroy old", "run virsh net-undefine old", "remove /etc/netc/libvirt/old.xml"])

        let readdressed = v1.replacingOccurrences(of: "subnet: 10.9.0.0/24", with: "subnet: 10.19.0.0/24")
        let r = try Plan.make(built: try built(readdressed), host: host).map(\.description)
        XCTAssertEqual(r.filter { $0.contains("old") }, [
            "run virsh net-define (network old, keeping its UUID and MAC)", "run virsh net-destroy old", "run virsh net-start old",
            "install /etc/netc/libvirt/old.xml",
        ])
    }

    /// DNS host records (`dns_hosts`) are taken live too: the first one
    /// added, one changed and the last one removed never restart the
    /// network (the `<dns>` they leave empty is no difference).
    func testDNSHostsChangeLive() throws {
        let none = try applied(try built(v1))
        let one = v1.replacingOccurrences(of: "\n      old:", with: "\n    dns_hosts: {nas: 10.30.0.5}\n      old:")
            .replacingOccurrences(of: "\n  old:", with: "\n    dns_hosts: {nas: 10.30.0.5}\n  old:")
        XCTAssertNotEqual(one, v1)
        var lines = try Plan.make(built: try built(one), host: none).map(\.description)
        XCTAssert(lines.contains("run virsh net-update default add dns-host <host ip='10.30.0.5'><hostname>nas</hostname></host> --live --config"), "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("net-destroy default") || $0.contains("net-define (network default") }, "\(lines)")
        let withOne = try applied(try built(one))
        let moved = one.replacingOccurrences(of: "nas: 10.30.0.5", with: "nas: 10.30.0.6")
        lines = try Plan.make(built: try built(moved), host: withOne).map(\.description)
        XCTAssert(lines.contains("run virsh net-update default delete dns-host <host ip='10.30.0.5'><hostname>nas</hostname></host> --live --config"), "\(lines)")
        XCTAssert(lines.contains("run virsh net-update default add dns-host <host ip='10.30.0.6'><hostname>nas</hostname></host> --live --config"), "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("net-destroy default") }, "\(lines)")
        lines = try Plan.make(built: try built(v1), host: withOne).map(\.description)
        XCTAssert(lines.contains("run virsh net-update default delete dns-host <host ip='10.30.0.5'><hostname>nas</hostname></host> --live --config"), "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("net-destroy default") }, "\(lines)")
    }

    /// A DHCP entry names its `<ip>` (`--parent-index`): with IPv4 and
    /// DHCPv6 ranges libvirt takes none without it. A DHCPv6 range changes
    /// live, under the second `<ip>`.
    func testDHCPv6RangeChangesLiveUnderItsOwnIP() throws {
        let dual = v1.replacingOccurrences(of: "192.168.122.10}}}", with:
            "192.168.122.10}}, dhcp: {start: 192.168.122.100, end: 192.168.122.200}}\n    ipv6: {subnet: 'fd00:122::/64', nat: true, dhcp: {start: 'fd00:122::100', end: 'fd00:122::1ff'}}")
        XCTAssertNotEqual(dual, v1)
        let host = try applied(try built(dual))
        let moved = dual.replacingOccurrences(of: "end: 'fd00:122::1ff'", with: "end: 'fd00:122::2ff'")
        let lines = try Plan.make(built: try built(moved), host: host).map(\.description)
        XCTAssert(lines.contains("run virsh net-update default delete ip-dhcp-range <range start='fd00:122::100' end='fd00:122::1ff'><lease expiry='1' unit='hours'/></range> --parent-index 1 --live --config"), "\(lines)")
        XCTAssert(lines.contains("run virsh net-update default add ip-dhcp-range <range start='fd00:122::100' end='fd00:122::2ff'><lease expiry='1' unit='hours'/></range> --parent-index 1 --live --config"), "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("net-destroy default") || $0.contains("ip-dhcp-host") }, "\(lines)")
    }

    /// A changed .netdev re-creates its link; a changed .network only
    /// reconfigures; a removed link is deleted.
    func testNetworkdLinksAreReconfiguredRecreatedOrDeleted() throws {
        let host = try applied(try built(v1))
        let changed = v1.replacingOccurrences(of: "id: 5}", with: "id: 6}").replacingOccurrences(of: "203.0.113.10/24", with: "203.0.113.11/24")
        let lines = try Plan.make(built: try built(changed), host: host).map(\.description).filter { $0.contains("networkctl") }
        XCTAssertEqual(lines, ["run networkctl delete vl5", "run networkctl reload", "run networkctl reconfigure eth0"])
        let gone = v1.replacingOccurrences(of: "  vl5: {kind: vlan, parent: eno1, id: 5}\n", with: "")
        let g = try Plan.make(built: try built(gone), host: host).map(\.description)
        XCTAssert(g.contains("remove /etc/systemd/network/30-netc-vl5.netdev") && g.contains("run networkctl delete vl5"), "\(g)")
    }

    func testANetworkNetcDidNotCreateIsRefused() throws {
        var host = Plan.HostState()
        host.libvirt["default"] = .init(ownedByNetc: false, active: true, autostart: true)
        XCTAssertThrowsError(try Plan.make(built: try built(v1), host: host)) { e in
            XCTAssert("\(e)".contains("libvirt already has a network 'default' that netc did not create"), "\(e)")
        }
    }

    /// A rollback (`redefine`): the networks the undone apply changed are
    /// defined again from the previous OUT and restarted even where their
    /// copy matches it, and one it added goes with its copy.
    func testARollbackRedefinesWhatTheApplyTouched() throws {
        let previous = try built(v1)
        var host = try applied(previous)
        let lines = try Plan.make(built: previous, host: host, redefine: ["default"]).map(\.description)
        XCTAssertEqual(lines, ["run virsh net-define (network default, keeping its UUID and MAC)", "run virsh net-destroy default",
                               "run virsh net-start default", "install /etc/netc/libvirt/default.xml"])
        host.files["etc/netc/libvirt/added.xml"] = Array("<!-- Generated by netc. -->\n".utf8)
        host.libvirt["added"] = .init(ownedByNetc: true, active: true, autostart: true)
        let back = try Plan.make(built: previous, host: host, redefine: ["added"]).map(\.description)
        XCTAssertEqual(back, ["run virsh net-destroy added", "run virsh net-undefine added", "remove /etc/netc/libvirt/added.xml"])
    }

    /// `--adopt default`: the network is defined from OUT (keeping its UUID
    /// and MAC), restarted, and kept; the others as ever.
    func testAnAdoptedNetworkIsDefinedAgainAndRestarted() throws {
        var host = Plan.HostState()
        host.libvirt["default"] = .init(ownedByNetc: false, active: true, autostart: false)
        let lines = try Plan.make(built: try built(v1), host: host, adopt: ["default"]).map(\.description)
        let at = { (line: String) in lines.firstIndex(of: line) ?? -1 }
        XCTAssert(at("run virsh net-define (network default, keeping its UUID and MAC)") >= 0, "\(lines)")
        XCTAssert(at("run virsh net-define (network default, keeping its UUID and MAC)") < at("run virsh net-destroy default"), "\(lines)")
        XCTAssert(at("run virsh net-destroy default") < at("run virsh net-start default"), "\(lines)")
        XCTAssert(lines.contains("run virsh net-autostart default") && lines.contains("install /etc/netc/libvirt/default.xml"), "\(lines)")
        XCTAssertThrowsError(try Plan.make(built: try built(v1), host: host, adopt: ["default", "nope"])) { e in
            XCTAssert("\(e)".contains("--adopt nope: OUT has no network 'nope'"), "\(e)")
        }
    }

    /// libvirt's XML of the network netc built: what `virsh net-dumpxml`
    /// gives (its UUID and MAC added, double quotes, and when running the
    /// guests counted), with `edit` applied.
    func libvirtsOwn(_ b: [String: [UInt8]], _ name: String, running: Bool = true, edit: (String) -> String = { $0 }) throws -> LibvirtDefinition {
        var text = String(decoding: try XCTUnwrap(b["libvirt/\(name).xml"]), as: UTF8.self)
        text = text.replacingOccurrences(of: "</name>", with: "</name>\n  <uuid>0d2f3a4e-0000-4000-8000-000000000001</uuid>")
            .replacingOccurrences(of: "<ip ", with: "<mac address='52:54:00:12:34:56'/>\n  <ip ")
            .replacingOccurrences(of: "'", with: "\"")
        if running { text = text.replacingOccurrences(of: "<network>", with: "<network connections=\"2\">") }
        return try XCTUnwrap(LibvirtDefinition(Array(edit(text).utf8)))
    }

    /// The host after a complete apply of `b`, with libvirt's own XML read
    /// and the kernel's links, sysctl values and table as apply left them.
    func appliedAndRead(_ b: [String: [UInt8]]) throws -> Plan.HostState {
        var host = try applied(b)
        for name in host.libvirt.keys {
            host.libvirt[name]!.definition = try libvirtsOwn(b, name, running: false)
            host.libvirt[name]!.live = try libvirtsOwn(b, name)
        }
        host.rulesetAsLoaded = true
        host.sysctl = Dictionary(uniqueKeysWithValues: Plan.sysctlSettings(try XCTUnwrap(b["sysctl/60-netc.conf"])).map { ($0.key, $0.value) })
        var links = Plan.expectedLinks(b)
        for (path, bytes) in b where path.hasPrefix("libvirt/") {
            let d = try XCTUnwrap(LibvirtDefinition(bytes))
            links[try XCTUnwrap(d.bridge)] = Plan.Link(addresses: Set(d.addresses))
        }
        host.links = links
        return host
    }

    /// libvirt's own XML means the same network as OUT's: its UUID, MAC,
    /// quotes and guest counts are not differences.
    func testLibvirtsOwnXMLOfAnAppliedNetworkIsInSync() throws {
        let b = try built(v1)
        let c = try Plan.compare(built: b, host: try appliedAndRead(b))
        XCTAssertEqual(c.differences, [])
        XCTAssertEqual(c.actions, [])
    }

    /// Each kind of drift is named by status, and apply mends exactly it:
    /// no difference without an action, no action without a difference.
    func testEachDriftIsNamedAndMended() throws {
        let b = try built(v1)
        let synced = try appliedAndRead(b)
        let handHost = "<host mac='52:54:00:00:00:99' ip='192.168.122.99'/>"
        let withHandHost = { (t: String) in t.replacingOccurrences(of: "</dhcp>", with: handHost.replacingOccurrences(of: "'", with: "\"") + "</dhcp>") }
        let cases: [(String, (inout Plan.HostState) throws -> Void, [String], [String])] = [
            ("hand net-update --live --config", { h in
                h.libvirt["default"]!.live = try self.libvirtsOwn(b, "default", edit: withHandHost)
                h.libvirt["default"]!.definition = try self.libvirtsOwn(b, "default", running: false, edit: withHandHost)
            }, ["libvirt network default: DHCP host 52:54:00:00:00:99 is live, not in OUT"],
             ["run virsh net-update default delete ip-dhcp-host \(handHost) --parent-index 0 --live --config"]),
            ("hand net-update --live only", { h in
                h.libvirt["default"]!.live = try self.libvirtsOwn(b, "default", edit: withHandHost)
            }, ["libvirt network default: DHCP host 52:54:00:00:00:99 is live, not in OUT"],
             ["run virsh net-update default delete ip-dhcp-host \(handHost) --parent-index 0 --live"]),
            ("stored definition changed", { h in
                h.libvirt["default"]!.definition = try self.libvirtsOwn(b, "default", running: false) { $0.replacingOccurrences(of: "stp=\"off\"", with: "stp=\"on\"") }
            }, ["libvirt network default: stored definition differs from OUT's"],
             ["run virsh net-define (network default, keeping its UUID and MAC)"]),
            ("not autostart", { h in h.libvirt["old"]!.autostart = false },
             ["libvirt network old: not marked autostart"], ["run virsh net-autostart old"]),
            ("table changed by hand", { h in h.rulesetAsLoaded = false },
             ["table inet netc: differs from the one apply loaded"], ["run nft -c -f /etc/netc/netc.nft", "run nft -f /etc/netc/netc.nft"]),
            ("table gone", { h in h.rulesetLoaded = false; h.rulesetAsLoaded = nil },
             ["table inet netc: not loaded"], ["run nft -c -f /etc/netc/netc.nft", "run nft -f /etc/netc/netc.nft"]),
            ("forwarding off", { h in h.sysctl!["net.ipv4.ip_forward"] = "0" },
             ["sysctl net.ipv4.ip_forward: 0, OUT says 1"], ["run sysctl -q -p /etc/sysctl.d/60-netc.conf"]),
            ("an address gone from eth0", { h in h.links!["eth0"]!.addresses = [] },
             ["link eth0: address 203.0.113.10/24 missing"], ["run networkctl reconfigure eth0"]),
            ("a link gone", { h in h.links!["vl5"] = nil },
             ["link vl5: missing"], ["run networkctl reload", "run networkctl reconfigure vl5"]),
            ("an address gone from a libvirt bridge", { h in h.links!["virbr0"]!.addresses = [] },
             ["link virbr0: address 192.168.122.1/24 missing (libvirt network default)"], ["run ip addr add 192.168.122.1/24 dev virbr0"]),
            ("a copy edited", { h in h.files["etc/netc/libvirt/old.xml"]! += Array("<!-- edited -->\n".utf8) },
             ["file /etc/netc/libvirt/old.xml: differs from OUT's"], ["install /etc/netc/libvirt/old.xml"]),
        ]
        for (what, drift, differences, actions) in cases {
            var host = synced
            try drift(&host)
            let c = try Plan.compare(built: b, host: host)
            XCTAssertEqual(c.differences, differences, what)
            XCTAssertEqual(c.actions.map(\.description), actions, what)
        }
    }

    /// A running guest's network restarted or removed: refused, naming the
    /// guest and its tap, unless allowed; allowed, each tap is plugged back
    /// into the bridge right after the network starts again.
    func testGuestsAreNeverCutOffUnlessAllowed() throws {
        var host = try appliedAndRead(try built(v1))
        host.guests["default"] = [.init(guest: "g1", mac: "52:54:00:00:00:20", interface: "vnet0")]
        let readdressed = try built(v1.replacingOccurrences(of: "192.168.122.0/24", with: "192.168.123.0/24")
            .replacingOccurrences(of: "192.168.122.10", with: "192.168.123.10"))
        XCTAssertThrowsError(try Plan.compare(built: readdressed, host: host)) { e in
            XCTAssert("\(e)".contains("this apply would restart network default, which running guests use: g1 (vnet0): nothing was changed; "
                                      + "pass --allow-guest-disruption"), "\(e)")
        }
        let lines = try Plan.make(built: readdressed, host: host, allowDisruption: true).map(\.description).filter { $0.contains("default") || $0.contains("vnet0") }
        XCTAssertEqual(lines, ["run virsh net-define (network default, keeping its UUID and MAC)", "run virsh net-destroy default",
                               "run virsh net-start default", "plug vnet0 (guest g1) back into virbr0", "install /etc/netc/libvirt/default.xml"])
        let gone = try built(v1.replacingOccurrences(of: "  default:\n    mode: nat\n    bridge: virbr0\n    ipv4: {subnet: 192.168.122.0/24, reservations: {web1: {mac: 52:54:00:00:00:10, ip: 192.168.122.10}}}\n", with: ""))
        XCTAssertNil(gone["libvirt/default.xml"])
        XCTAssertThrowsError(try Plan.compare(built: gone, host: host)) { e in
            XCTAssert("\(e)".contains("this apply would remove network default, which running guests use: g1 (vnet0)"), "\(e)")
        }
        // A change libvirt takes live never asks.
        let reservation = try built(v1.replacingOccurrences(of: "ip: 192.168.122.10}", with: "ip: 192.168.122.11}"))
        XCTAssertFalse(try Plan.make(built: reservation, host: host).isEmpty)
    }

    /// libvirt's additions are not the network's shape: UUID, MAC, the
    /// guests counted, a macvtap forward's dev.
    func testTheShapeLeavesOutWhatLibvirtAdds() throws {
        let plain = try XCTUnwrap(LibvirtDefinition(Array("<network><name>d</name><forward mode='bridge'><interface dev='eth1'/></forward></network>".utf8)))
        let libvirts = try XCTUnwrap(LibvirtDefinition(Array("""
            <network connections="1"><name>d</name><uuid>u</uuid><forward dev="eth1" mode="bridge"><interface dev="eth1" connections="1"/></forward>
            <mac address="52:54:00:00:00:01"/></network>
            """.utf8)))
        XCTAssertEqual(plain.shape, libvirts.shape)
        XCTAssertNotEqual(plain.rest, libvirts.rest)
        let other = try XCTUnwrap(LibvirtDefinition(Array("<network><name>d</name><forward mode='bridge'><interface dev='eth2'/></forward></network>".utf8)))
        XCTAssertNotEqual(plain.shape, other.shape)
    }
}
