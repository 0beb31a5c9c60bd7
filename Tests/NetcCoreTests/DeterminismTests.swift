import Foundation
import XCTest
import Yams
@testable import NetcCore

/// Same topology, same bytes: across runs and whatever the key order.
final class DeterminismTests: XCTestCase {
    /// Reverses the order of every mapping's keys.
    static func reversed(_ node: Node) -> Node {
        switch node {
        case .mapping(let m):
            return .mapping(Node.Mapping(m.reversed().map { ($0.key, reversed($0.value)) }, m.tag, m.style))
        case .sequence(let s):
            return .sequence(Node.Sequence(s.map(reversed), s.tag, s.style))
        default:
            return node
        }
    }

    func testBuildingTwiceGivesIdenticalBytes() throws {
        for name in try exampleNames() {
            XCTAssertEqual(try compileExample(name).files, try compileExample(name).files, name)
        }
    }

    func testReorderingEveryMappingChangesNoByte() throws {
        for name in try exampleNames() {
            let text = try readText(examplesDir.appendingPathComponent("\(name)/topology.yaml"))
            let node = try XCTUnwrap(try Yams.compose(yaml: text, .basic))
            let shuffled = try Yams.serialize(node: Self.reversed(node))
            XCTAssertNotEqual(shuffled, text)
            let a = try Compiler.compile(text, fileName: "topology.yaml")
            let b = try Compiler.compile(shuffled, fileName: "topology.yaml")
            XCTAssertFalse(b.hasErrors, "\(name) reordered:\n\(shuffled)\n\(b.diagnostics)")
            XCTAssertEqual(a.files, b.files, "\(name): reordering keys changed the output")
        }
    }

    func testTheSourceDirectoryDoesNotReachTheOutput() throws {
        let text = try readText(examplesDir.appendingPathComponent("nat/topology.yaml"))
        let a = try Compiler.compile(text, fileName: "/srv/a/topology.yaml")
        let b = try Compiler.compile(text, fileName: "topology.yaml")
        XCTAssertEqual(a.files, b.files)
    }
}
