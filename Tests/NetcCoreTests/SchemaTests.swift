import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// The JSON Schema (`netc schema`): current in docs/, accepted by a real
/// validator for every example, refusing the corpus's shape errors.
final class SchemaTests: XCTestCase {
    func testTheCommittedSchemaIsCurrent() throws {
        let page = try readText(repoRoot.appendingPathComponent("docs/topology.schema.json"))
        XCTAssertEqual(page, TopologySchema.json(), "docs/topology.schema.json is stale: run `make docs`")
        let fleet = try readText(repoRoot.appendingPathComponent("docs/fleet.schema.json"))
        XCTAssertEqual(fleet, TopologySchema.json(fleet: true), "docs/fleet.schema.json is stale: run `make docs`")
    }

    /// Every key the parser reads is in the schema, with a description.
    func testEveryKeyOfTheParserIsDescribed() throws {
        let schema = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(TopologySchema.json().utf8)) as? [String: Any])
        var described = Set<String>()
        func walk(_ v: Any) {
            if let o = v as? [String: Any] {
                if let props = o["properties"] as? [String: Any] {
                    for (k, p) in props where ((p as? [String: Any])?["description"] as? String)?.isEmpty == false { described.insert(k) }
                }
                o.values.forEach(walk)
            } else if let a = v as? [Any] { a.forEach(walk) }
        }
        walk(schema)
        let keys = Keys.topology + Keys.interface + Keys.hostAddressing + Keys.network + Keys.guestIPv4 + Keys.guestIPv6
            + Keys.dhcp + Keys.reservation + Keys.forward
        XCTAssertEqual(Set(keys).subtracting(described).sorted(), [])
        // The fleet's.
        described = []
        walk(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(TopologySchema.json(fleet: true).utf8)) as? [String: Any]))
        XCTAssertEqual(Set(Keys.fleet + Keys.fleetHost + Keys.overlay).subtracting(described).sorted(), [])
    }
}

/// `netc graph`: each example's committed picture source is what the
/// graph backend draws today (`make graphs` regenerates it).
final class GraphTests: XCTestCase {
    func testEveryExamplesDOTIsCurrent() throws {
        for name in try exampleNames() {
            let t = try XCTUnwrap(try compileExample(name).topology, name)
            let committed = try readText(repoRoot.appendingPathComponent("docs/graphs/\(name).dot"))
            XCTAssertEqual(committed, TopologyGraph.plan(t).dot(), "docs/graphs/\(name).dot is stale: run `make graphs`")
        }
    }

    func testTheGraphShowsModesUplinksPeersAndForwards() throws {
        let t = try XCTUnwrap(try compileExample("port-forwards").topology)
        let g = TopologyGraph.plan(t)
        XCTAssert(g.edges.contains { $0.from == "link_eth0" && $0.to == "net_web" && $0.label == "masquerade" }, "\(g.edges)")
        XCTAssert(g.edges.contains { $0.label == "peer" && $0.dashed }, "\(g.edges)")
        let web = try XCTUnwrap(g.nodes.first { $0.id == "net_web" })
        XCTAssertEqual(web.lines.first, "web: nat")
        XCTAssert(web.lines.contains("tcp 2222 -> www:22 from 198.51.100.0/24"), "\(web.lines)")
        let mermaid = g.mermaid()
        XCTAssert(mermaid.hasPrefix("flowchart TB\n"), mermaid)
        XCTAssert(mermaid.contains("link_eth0 <-- masquerade --- net_web"), mermaid)
        // Deterministic: reordering the YAML changes nothing.
        XCTAssertEqual(g, TopologyGraph.plan(try XCTUnwrap(try compileExample("port-forwards").topology)))
    }
}
