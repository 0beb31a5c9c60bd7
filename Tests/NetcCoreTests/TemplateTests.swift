import Mustache
import XCTest
@testable import NetcCore

/// A template variable that would render empty fails the render.
final class TemplateTests: XCTestCase {
    func render(_ template: String, _ values: [String: TemplateValue]) throws -> String {
        try TemplateStore.render(try MustacheTemplate(string: template), name: "test", values)
    }

    func testAMisspelledVariableFails() throws {
        XCTAssertThrowsError(try render("Name={{nmae}}\n", ["name": .text("br0")])) { error in
            XCTAssert("\(error)".contains("'nmae'"), "\(error)")
        }
    }

    func testAnEmptyValueFails() throws {
        XCTAssertThrowsError(try render("Name={{name}}\n", ["name": .text("")]))
        XCTAssertThrowsError(try render("{{#l}}DNS={{.}}\n{{/l}}", ["l": .texts(["192.0.2.1", ""])]))
    }

    func testAnOuterVariableInsideASectionFails() throws {
        // Templates may name only keys of the innermost context.
        XCTAssertThrowsError(try render("{{#o}}{{name}}{{/o}}", ["name": .text("x"), "o": .object(["a": .text("y")])]))
    }

    func testAbsentOptionalsRenderNothingAndPresentOnesRender() throws {
        XCTAssertEqual(try render("{{#m}}MAC={{.}}\n{{/m}}x\n", ["m": .optional(nil)]), "x\n")
        XCTAssertEqual(try render("{{#m}}MAC={{.}}\n{{/m}}x\n", ["m": .optional("52:54:00:00:00:01")]), "MAC=52:54:00:00:00:01\nx\n")
    }

    func testEveryEmbeddedTemplateParses() {
        XCTAssertEqual(Set(TemplateStore.shared.templates.keys),
                       ["networkd.netdev", "networkd.network", "netc.nft", "libvirt-network.xml"])
    }
}
