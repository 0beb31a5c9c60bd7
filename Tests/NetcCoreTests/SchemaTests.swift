import Foundation
import XCTest
@testable import NetcCore

/// The JSON Schema (`netc schema`): current in docs/, accepted by a real
/// validator for every example, refusing the corpus's shape errors.
final class SchemaTests: XCTestCase {
    func testTheCommittedSchemaIsCurrent() throws {
        let page = try readText(repoRoot.appendingPathComponent("docs/topology.schema.json"))
        XCTAssertEqual(page, TopologySchema.json(), "docs/topology.schema.json is stale: run `make docs`")
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
    }

    func testExamplesValidateAndShapeErrorsDoNot() throws {
        // Debian's interpreter, which python3-jsonschema and python3-ruamel.yaml
        // install into (a python3 earlier on PATH may be another one).
        let debianPython = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        let probe = debianPython ? try Host.run("/usr/bin/python3", ["-c", "import jsonschema, ruamel.yaml"]) : nil
        if probe?.status != 0 {
            try Host.require(["python3-jsonschema and python3-ruamel.yaml"], root: false, for: "JSON Schema validation")
        }
        let script = repoRoot.appendingPathComponent("Tests/schema/validate.py").path
        let schema = repoRoot.appendingPathComponent("docs/topology.schema.json").path
        let examples = try exampleNames().map { examplesDir.appendingPathComponent("\($0)/topology.yaml").path }
        let ok = try Host.run("/usr/bin/python3", [script, schema] + examples)
        XCTAssertEqual(ok.text.split(separator: "\n").filter { $0.hasPrefix("ok   ") }.count, examples.count, ok.text)
        for e in examples {
            XCTAssert(try readText(URL(fileURLWithPath: e)).hasPrefix("# yaml-language-server: $schema=../../docs/topology.schema.json\n"), e)
        }
        // The corpus files whose mistake is one of shape: unknown key, wrong
        // type, missing key, a word not allowed.
        let corpus = repoRoot.appendingPathComponent("Tests/corpus")
        let shape = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted().filter { name in
            guard name.hasSuffix(".yaml"), let first = try? readText(corpus.appendingPathComponent(name)).split(separator: "\n").first
            else { return false }
            return ["E003", "E004", "E005", "E007"].contains { first.contains("expect: \($0)") }
        }.map { corpus.appendingPathComponent($0).path }
        XCTAssertGreaterThanOrEqual(shape.count, 4)
        let bad = try Host.run("/usr/bin/python3", [script, schema] + shape)
        XCTAssertEqual(bad.text.split(separator: "\n").filter { $0.hasPrefix("FAIL ") }.count, shape.count, bad.text)
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
