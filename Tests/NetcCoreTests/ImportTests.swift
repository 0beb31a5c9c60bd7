import Foundation
import FoundationXML
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// `netc import libvirt`: every diagnostic at its place, and the round trip
/// of the test networks in Tests/import/ (libvirt XML as `virsh
/// net-dumpxml` prints it): import, then build, gives libvirt XML with the
/// same meaning, compared after parsing with Foundation's XML parser (not
/// netc's own reader).
final class ImportTests: XCTestCase {
    static let dir = ImportNetworks.dir
    static let networks = ImportNetworks.networks

    func importFiles(_ files: [String], uplinks: [String: String] = [:]) throws -> LibvirtImport.Result {
        try ImportNetworks.importFiles(files, uplinks: uplinks)
    }

    func describe(_ r: LibvirtImport.Result, _ sources: [String]) -> String {
        r.findings.map { "\(sources[$0.source]):\($0.diagnostic.range.start): \($0.diagnostic.code) \($0.diagnostic.message)" }
            .joined(separator: "\n")
    }

    // MARK: Diagnostics

    func testEachImportCaseReportsItsCodeAtTheMarkedPosition() throws {
        for c in importCases {
            let (text, line, column) = c.source
            let r = try c.run(text)
            let ds = r.findings.map(\.diagnostic)
            let hit = ds.first { $0.code == c.code && $0.range.start.line == line && $0.range.start.column == column }
            XCTAssertNotNil(hit, "\(c.code) (\(c.name)): expected at \(line):\(column), got:\n\(describe(r, ["t.xml"]))")
            if c.code.severity == .error {
                XCTAssertEqual(ds.filter { $0.severity == .error }.count, 1, "\(c.code) (\(c.name)):\n\(describe(r, ["t.xml"]))")
                XCTAssertNil(r.text, "\(c.code) (\(c.name)): a topology was printed despite the error")
            } else {
                XCTAssertNotNil(r.text, "\(c.code) (\(c.name)): a warning must not stop the import")
            }
        }
    }

    func testEachFixedImportCaseImportsWithoutItsCodeAndChecks() throws {
        for c in importCases {
            let r = try c.run(c.fixed, fixed: true)
            XCTAssertFalse(r.hasErrors, "\(c.code) (\(c.name)) fixed:\n\(describe(r, ["t.xml"]))")
            XCTAssertFalse(r.findings.contains { $0.diagnostic.code == c.code }, "\(c.code) (\(c.name)) fixed still reports it")
            let text = try XCTUnwrap(r.text)
            XCTAssertFalse(try Compiler.compile(text).hasErrors, "\(c.code) (\(c.name)) fixed:\n\(text)")
        }
    }

    /// A finding of the check stage is reported at the XML behind the line,
    /// with the line as a note; a note in another file names that file.
    func testTheChecksOfTheImportedTopologyPointIntoTheXML() throws {
        let a = "<network>\n  <name>a</name>\n  <bridge name='virbr1'/>\n  <ip address='10.10.0.1' prefix='24'>\n    <dhcp>\n"
            + "      <range start='10.10.0.100' end='10.10.0.200'/>\n      <host mac='52:54:00:00:00:10' name='web' ip='10.10.0.150'/>\n"
            + "    </dhcp>\n  </ip>\n</network>\n"
        let b = "<network>\n  <name>b</name>\n  <bridge name='virbr2'/>\n  <ip address='10.10.0.129' prefix='25'/>\n</network>\n"
        let r = try LibvirtImport.run([.init(name: "a.xml", bytes: Array(a.utf8)), .init(name: "b.xml", bytes: Array(b.utf8))])
        let shown = describe(r, ["a.xml", "b.xml"])
        XCTAssertNil(r.text, shown)
        let w701 = try XCTUnwrap(r.findings.first { $0.diagnostic.code == .W701 }, shown)
        XCTAssertEqual(w701.source, 0)
        XCTAssertEqual(w701.diagnostic.range.start, SourceLocation(line: 7, column: 8), shown)
        XCTAssert(w701.diagnostic.notes.first?.message.hasPrefix("in the imported topology, line ") == true, shown)
        let overlap = try XCTUnwrap(r.findings.first { $0.diagnostic.code == .E207 }, shown)
        XCTAssertEqual(overlap.source, 1, shown)
        XCTAssertEqual(overlap.diagnostic.range.start, SourceLocation(line: 4, column: 37), shown)
        XCTAssert(overlap.diagnostic.notes.contains { $0.message.contains("(a.xml:") && $0.range == nil }, shown)
    }

    /// Nothing of the XML is passed over in silence: every element and
    /// attribute of a network full of things netc cannot express is
    /// reported, each at its place.
    func testEverythingLeftOutIsReported() throws {
        let xml = """
            <network connections='2'>
              <name>n</name>
              <forward mode='nat'><nat><port start='500' end='1000'/></nat></forward>
              <bridge name='virbr5' macTableManager='libvirt'/>
              <dns><txt name='t' value='v'/><srv service='s' protocol='tcp'/></dns>
              <ip address='192.168.5.1' prefix='24' localPtr='yes'>
                <dhcp><range start='192.168.5.100' end='192.168.5.150'><lease expiry='0'/></range></dhcp>
              </ip>
              <ip address='192.168.6.1' prefix='24'/>
              <vlan><tag id='42'/></vlan>
              <port isolated='yes'/>
              <metadata><app:x xmlns:app='urn:app'/></metadata>
              <unknown/>
            </network>

            """
        let r = try LibvirtImport.run([.init(name: "n.xml", bytes: Array(xml.utf8))])
        let shown = describe(r, ["n.xml"])
        XCTAssertNotNil(r.text, shown)
        let lines = r.findings.filter { $0.diagnostic.code == .W801 }.map { "\($0.diagnostic.range.start)" }
        XCTAssertEqual(lines, ["3:29", "4:25", "5:9", "5:34", "6:41", "7:67", "9:4", "10:4", "12:14", "13:4"], shown)
        // `connections` is the running network's state, not configuration.
        XCTAssertFalse(shown.contains("connections"), shown)
    }

    /// Each part left out is reported once, also where a mode has no use
    /// for an element at all.
    func testAMacvtapNetworkReportsItsBridgeOnce() throws {
        let xml = "<network>\n  <name>d</name>\n  <forward mode='vepa'><interface dev='eth1'/></forward>\n  <bridge name='br9'/>\n"
            + "  <ip address='10.0.0.1' prefix='24'/>\n</network>\n"
        let r = try LibvirtImport.run([.init(name: "d.xml", bytes: Array(xml.utf8))])
        XCTAssertEqual(r.findings.filter { $0.diagnostic.code == .W801 }.map { "\($0.diagnostic.range.start)" }, ["4:4", "5:4"],
                       describe(r, ["d.xml"]))
        XCTAssert(r.text?.contains("    macvtap_mode: vepa\n") == true, r.text ?? "")
    }

    func testAnUplinkForNoBridgeIsReported() throws {
        let r = try importFiles(["default.xml"], uplinks: ["br9": "eno1"])
        XCTAssertEqual(r.usedUplinks, [])
        XCTAssertNotNil(r.text)
    }

    func testXMLReaderEntitiesCDATAAndPositions() throws {
        let xml = "<?xml version='1.0' encoding='UTF-8'?>\n<!-- c -->\n<network a=\"x&amp;y&#65;&#x42;\">\r\n  <name><![CDATA[n<1>]]>&lt;</name>\n  <é b='1'/>\n</network>"
        let root = try XMLTree.parse(Array(xml.utf8))
        XCTAssertEqual(root.attribute("a")?.value, "x&yAB")
        XCTAssertEqual(root.child("name")?.text, "n<1><")
        XCTAssertEqual(root.children.map(\.name), ["name", "é"])
        XCTAssertEqual(root.children[1].range.start, SourceLocation(line: 5, column: 4))
        XCTAssertEqual(root.children[1].attributes[0].valueRange.start, SourceLocation(line: 5, column: 9))
        for (bad, at) in [("<a><b></a>", "1:7"), ("<a x='1' x='2'/>", "1:10"), ("<a>&foo;</a>", "1:4"), ("<a", "1:2"), ("", "1:1"),
                          ("<a><!-- x -- y --></a>", "1:11"), ("<a x=1/>", "1:6"), ("<a/><b/>", "1:5")] {
            do {
                _ = try XMLTree.parse(Array(bad.utf8))
                XCTFail("\(bad) was read")
            } catch {
                XCTAssertEqual(error.diagnostic.code, .E801, bad)
                XCTAssertEqual("\(error.diagnostic.range.start)", at, "\(bad): \(error.diagnostic.message)")
            }
        }
        // Many attributes: the duplicate check stays linear (200,000 would
        // take minutes compared pairwise), and still finds a late repeat.
        let many = "<a " + (0..<200_000).map { "x\($0)='1'" }.joined(separator: " ")
        XCTAssertEqual(try XMLTree.parse(Array((many + "/>").utf8)).attributes.count, 200_000)
        XCTAssertThrowsError(try XMLTree.parse(Array((many + " x17='2'/>").utf8))) { error in
            XCTAssert((error as? XMLTree.Failure)?.diagnostic.message.contains("'x17' appears twice") == true)
        }
        // Nesting deeper than the limit is refused, not a stack overflow.
        let deep = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        XCTAssertThrowsError(try XMLTree.parse(Array(deep.utf8)))
        // Not UTF-8: E010, as for a topology.
        do { _ = try XMLTree.parse([0x3C, 0x61, 0xFF, 0x3E]) } catch { XCTAssertEqual(error.diagnostic.code, .E010) }
    }

    // MARK: Round trip

    /// The meaning of a libvirt network, as libvirt reads it: what the
    /// guests get. Left out, each for a reason:
    /// - `<uuid>` and `<mac>`: `netc apply` carries those of the network
    ///   on the host into the XML it defines (docs/outputs.md);
    /// - the forward mode of nat, route, open and isolated networks: netc's
    ///   XML says `open` for all four, and the mode lives in the ruleset
    ///   (the compiled topology's mode is compared instead, and the e2e
    ///   test sends packets);
    /// - `<metadata>` (netc's mark) and `<dnsmasq:options>`, which for an
    ///   isolated network say what libvirt's own isolated mode does;
    /// - `localOnly`: netc's domains are always answered locally.
    struct Meaning: Equatable, CustomStringConvertible {
        var name = ""
        var kind = ""
        var bridge = ""
        var mtu = ""
        var domain = ""
        var ips: [String] = []

        var description: String { "\(name) \(kind) bridge=\(bridge) mtu=\(mtu) domain=\(domain)\n  " + ips.joined(separator: "\n  ") }

        init(_ data: Data) throws {
            let doc = try XMLDocument(data: data)
            let root = try XCTUnwrap(doc.rootElement())
            func first(_ e: FoundationXML.XMLElement, _ name: String) -> FoundationXML.XMLElement? { e.elements(forName: name).first }
            func attr(_ e: FoundationXML.XMLElement?, _ name: String) -> String? { e?.attribute(forName: name)?.stringValue }
            name = first(root, "name")?.stringValue ?? ""
            let forward = first(root, "forward")
            let mode = attr(forward, "mode") ?? (forward == nil ? "none" : "nat")
            let b = first(root, "bridge")
            switch mode {
            case "nat", "route", "open", "none":
                kind = "served"
                bridge = "\(attr(b, "name") ?? "") stp=\(attr(b, "stp") ?? "on") delay=\(attr(b, "delay") ?? "0")"
            case "bridge" where b != nil:
                kind = "bridge"
                bridge = attr(b, "name") ?? ""
            default:
                kind = "direct \(mode) " + (forward?.elements(forName: "interface").compactMap { attr($0, "dev") }.joined(separator: ",") ?? "")
            }
            mtu = attr(first(root, "mtu"), "size") ?? ""
            domain = attr(first(root, "domain"), "name") ?? ""
            for ip in root.elements(forName: "ip") {
                var prefix = attr(ip, "prefix") ?? ""
                if let mask = attr(ip, "netmask") {
                    prefix = String(mask.split(separator: ".").map { UInt8($0)!.nonzeroBitCount }.reduce(0, +))
                }
                var line = "\(attr(ip, "family") ?? "ipv4") \(attr(ip, "address") ?? "")/\(prefix)"
                if let dhcp = first(ip, "dhcp") {
                    for r in dhcp.elements(forName: "range") {
                        let lease = first(r, "lease")
                        let unit = ["seconds": 1, "minutes": 60, "hours": 3600][attr(lease, "unit") ?? "minutes"]!
                        // No <lease>: dnsmasq's default, one hour.
                        let seconds = lease.map { Int(attr($0, "expiry")!)! * unit } ?? 3600
                        line += " range=\(attr(r, "start")!)-\(attr(r, "end")!) lease=\(seconds)s"
                    }
                    for h in dhcp.elements(forName: "host") {
                        line += " host=\(attr(h, "mac")!)/\(attr(h, "name") ?? "-")/\(attr(h, "ip")!)"
                    }
                }
                ips.append(line)
            }
        }
    }

    /// Imports `xml`, builds the topology, and compares the built network
    /// with the original by meaning; returns the imported topology.
    @discardableResult
    func assertRoundTrip(_ xml: Data, file: String, name: String, mode: String, uplinks: [String: String] = [:],
                         line: UInt = #line) throws -> String {
        let r = try LibvirtImport.run([.init(name: file, bytes: Array(xml))], uplinks: uplinks)
        let text = try XCTUnwrap(r.text, "\(file):\n\(describe(r, [file]))", line: line)
        let built = try Compiler.compile(text)
        XCTAssertFalse(built.hasErrors, "\(file) imported:\n\(text)", line: line)
        let topology = try XCTUnwrap(built.topology, line: line)
        XCTAssertEqual(topology.networks.map(\.name), [name], line: line)
        XCTAssertEqual(topology.networks.first.map { "\($0.mode)" }, mode, "\(file) imported:\n\(text)", line: line)
        let built_ = try XCTUnwrap(built.files.first { $0.path == "libvirt/\(name).xml" }, line: line)
        let original = try Meaning(xml)
        XCTAssertFalse(original.name.isEmpty, line: line)
        XCTAssertEqual(try Meaning(Data(built_.bytes)), original, "\(file): imported as\n\(text)", line: line)
        return text
    }

    func testImportThenBuildGivesLibvirtXMLWithTheSameMeaning() throws {
        for n in Self.networks {
            try assertRoundTrip(Data(contentsOf: Self.dir.appendingPathComponent(n.file)), file: n.file, name: n.name, mode: n.mode,
                                uplinks: n.uplinks)
        }
    }

    /// What libvirt assumes when the XML does not say: `<forward/>` is nat,
    /// a bridge has STP on and no forward delay, a lease lasts an hour (and
    /// `<lease>` counts minutes), `open` is routed.
    func testLibvirtsDefaultsKeepTheirMeaning() throws {
        let xml = """
            <network>
              <name>n</name>
              <forward/>
              <bridge name='virbr7'/>
              <ip address='10.7.0.1' netmask='255.255.0.0'>
                <dhcp>
                  <range start='10.7.0.100' end='10.7.0.200'/>
                  <host mac='52:54:00:00:07:10' ip='10.7.0.10'/>
                </dhcp>
              </ip>
            </network>

            """
        let text = try assertRoundTrip(Data(xml.utf8), file: "n.xml", name: "n", mode: "nat")
        XCTAssert(text.contains("    stp: true\n"), text)
        XCTAssertFalse(text.contains("lease:"), text)
        let minutes = xml.replacingOccurrences(of: "<range start='10.7.0.100' end='10.7.0.200'/>",
                                               with: "<range start='10.7.0.100' end='10.7.0.200'><lease expiry='90'/></range>")
        XCTAssert(try assertRoundTrip(Data(minutes.utf8), file: "n.xml", name: "n", mode: "nat").contains("lease: 90m\n"))
        let open = xml.replacingOccurrences(of: "<forward/>", with: "<forward mode='open'/>")
        XCTAssert(try assertRoundTrip(Data(open.utf8), file: "n.xml", name: "n", mode: "route").contains("    mode: route\n"))
        let off = xml.replacingOccurrences(of: "<bridge name='virbr7'/>", with: "<bridge name='virbr7' stp='off' delay='3'/>")
        XCTAssert(try assertRoundTrip(Data(off.utf8), file: "n.xml", name: "n", mode: "nat").contains("    forward_delay: 3s\n"))
    }

    /// Tests/import/NAME.yaml is what the import writes for NAME.xml, read
    /// and reviewed like the examples' expected files (`make golden`).
    func testEachImportMatchesItsReviewedTopology() throws {
        for n in Self.networks {
            let expected = try readText(Self.dir.appendingPathComponent(n.file.replacingOccurrences(of: ".xml", with: ".yaml")))
            XCTAssertEqual(try importFiles([n.file], uplinks: n.uplinks).text, expected, "\(n.file): run `make golden` and review the diff")
        }
    }

    /// docs/import.md shows default.xml and what the import writes for it:
    /// both as they are.
    func testTheDocumentedExampleIsCurrent() throws {
        let page = try readText(repoRoot.appendingPathComponent("docs/import.md"))
        func block(_ fence: String) throws -> String {
            let start = try XCTUnwrap(page.range(of: "```\(fence)\n"), fence)
            let end = try XCTUnwrap(page.range(of: "```", range: start.upperBound..<page.endIndex))
            return String(page[start.upperBound..<end.lowerBound])
        }
        XCTAssertEqual(try block("xml"), try readText(Self.dir.appendingPathComponent("default.xml")))
        let shown = try XCTUnwrap(page.range(of: "`netc import libvirt default.xml` prints:\n\n```yaml\n"))
        let end = try XCTUnwrap(page.range(of: "```", range: shown.upperBound..<page.endIndex))
        XCTAssertEqual(String(page[shown.upperBound..<end.lowerBound]), try importFiles(["default.xml"]).text)
    }

    /// The isolated test network is the host-only example as libvirt would
    /// hold it: imported and built, it gives the example's files (the
    /// header aside: the XML has no host name).
    func testTheIsolatedNetworkBuildsWhatTheHostOnlyExampleBuilds() throws {
        let text = try XCTUnwrap(try importFiles(["isolated.xml"]).text)
        let imported = try Compiler.compile(text).files
        let example = try compileExample("host-only").files
        func body(_ f: OutputFile) -> String {
            String(decoding: f.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("Generated by netc") }.joined(separator: "\n")
        }
        XCTAssertEqual(imported.map(\.path), example.map(\.path))
        for (a, b) in zip(imported, example) { XCTAssertEqual(body(a), body(b), a.path) }
    }
}
