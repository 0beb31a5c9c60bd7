import Foundation
import Mustache
import TemplateCompiler
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// The template compiler (templates/ -> Swift at build time) against the
/// reference Mustache implementation, swift-mustache: the same template and
/// values give the same text, so the compiled printers lay files out exactly
/// as the templates say.
final class TemplateCompilerTests: XCTestCase {
    typealias V = TemplateCompiler.Value

    static let templatesDir = repoRoot.appendingPathComponent("templates")

    func templates() throws -> [(name: String, source: String)] {
        try FileManager.default.contentsOfDirectory(atPath: Self.templatesDir.path)
            .filter { $0.hasSuffix(".mustache") }.sorted()
            .map { (String($0.dropLast(".mustache".count)), try readText(Self.templatesDir.appendingPathComponent($0))) }
    }

    /// swift-mustache's view of a dynamic value.
    func reference(_ v: V) -> Any? {
        switch v {
        case .text(let s): s
        case .bool(let b): b
        case .list(let l): l.compactMap(reference)
        case .object(let o): o.compactMapValues(reference)
        case .none: nil
        }
    }

    func assertSameAsReference(_ source: String, _ values: V, file: StaticString = #filePath, line: UInt = #line) throws {
        let ours = TemplateCompiler.render(try TemplateCompiler.parse(source, name: "t"), values)
        let theirs = try MustacheTemplate(string: source).render(reference(values) ?? [String: Any]())
        XCTAssertEqual(ours, theirs, "template:\n\(source)", file: file, line: line)
    }

    /// Values that exercise every name of a template: `variant` 0 gives each
    /// section two items, 1 gives none, 2 gives one (true or an object).
    func sample(_ nodes: [TemplateCompiler.Node], variant: Int, depth: Int = 0) -> V {
        var o: [String: V] = [:]
        for n in nodes {
            switch n {
            case .text: break
            case .variable(let p, _):
                if let k = p.first { o[k] = .text("\(k)<&'\"\(depth)") }
            case .section(let p, _, let body):
                guard let k = p.first else { continue }
                let usesDot = body.contains { if case .variable([], _) = $0 { true } else { false } }
                let item: V = usesDot ? .text("\(k)-item") : sample(body, variant: variant, depth: depth + 1)
                o[k] = variant == 0 ? .list([item, item]) : variant == 1 ? .none : (body.isEmpty ? .bool(true) : item)
            }
        }
        return .object(o)
    }

    func testEveryTemplateRendersAsSwiftMustacheRendersIt() throws {
        let all = try templates()
        XCTAssertEqual(Set(all.map(\.name)), ["networkd.netdev", "networkd.network", "netc.nft", "libvirt-network.xml", "sysctl.conf", "topology.yaml"])
        for (name, source) in all {
            let t = try TemplateCompiler.parse(source, name: name)
            for variant in 0..<3 {
                let values = sample(t.nodes, variant: variant)
                let ours = TemplateCompiler.render(t, values)
                let theirs = try MustacheTemplate(string: source).render(reference(values)!)
                XCTAssertEqual(ours, theirs, "\(name), variant \(variant)")
            }
        }
    }

    func testStandaloneLinesAndWhitespaceFollowTheSpec() throws {
        let cases = [
            "{{! renders: X }}\na\n  {{#s}}  \nb\n  {{/s}}\nc\n",
            "{{! renders: X }}\n{{#s}}x{{/s}}\n",
            "{{! renders: X }}\n| {{#s}}x{{/s}} |\n",
            "{{! renders: X }}\n\t{{^s}}\nnone\n\t{{/s}}\n",
            "{{! renders: X }}\r\n{{#s}}\r\nwin\r\n{{/s}}\r\n",
            "{{! renders: X }}\n{{% CONTENT_TYPE: TEXT }}\n{{v}} & {{{v}}}\n",
            "{{! renders: X }}\n{{v}} & {{&v}}\n",
            "{{! renders: X }}\nend without newline {{#s}}{{/s}}",
        ]
        for c in cases {
            for s: V in [.bool(true), .bool(false), .list([.object([:]), .object([:])]), .none] {
                try assertSameAsReference(c, .object(["s": s, "v": .text("<a&b>")]))
            }
        }
    }

    func testGeneratedCodeReadsOnlyTheInnermostContext() throws {
        let t = try TemplateCompiler.parse("{{! renders: Unit }}\n{{#section}}\n{{name}}={{value.text}}\n{{/section}}\n", name: "x")
        let swift = TemplateCompiler.swift([t])
        XCTAssert(swift.contains("static func x(_ c0: borrowing Unit, _ out: inout TemplateOutput)"), swift)
        XCTAssert(swift.contains("TemplateSection.each(c0.`section`) { c1 in"), swift)
        // Inside the section, names resolve on c1 only: no climbing to c0.
        XCTAssert(swift.contains("out.escaped(c1.`name`, \"name\")"), swift)
        XCTAssert(swift.contains("out.escaped(c1.`value`.`text`, \"value.text\")"), swift)
    }

    func testUnsupportedTemplatesAreRefused() {
        let bad = [
            "{{#a}}x\n": "not closed",
            "{{#a}}x{{/b}}\n": "closes",
            "{{> partial}}\n": "partials",
            "{{=<% %>=}}\n": "delimiter",
            "{{a b}}\n": "not a name",
            "{{% NOPE }}\n": "pragma",
        ]
        for (source, why) in bad {
            XCTAssertThrowsError(try TemplateCompiler.parse("{{! renders: X }}\n" + source, name: "t"), source) { e in
                XCTAssert("\(e)".contains(why), "\(source): \(e)")
            }
        }
        XCTAssertThrowsError(try TemplateCompiler.parse("x\n", name: "t")) { e in
            XCTAssert("\(e)".contains("renders:"), "\(e)")
        }
    }

    /// A value that prints empty is a planner bug: an internal error, not a
    /// silently missing line.
    func testAnEmptyValueIsAnInternalError() {
        XCTAssertThrowsError(try Printer.file("networkd/x.network") { $0.literal("Name="); $0.text("", "name") }) { e in
            XCTAssert(e is InternalError, "\(e)")
            XCTAssert("\(e)".contains("'name' printed empty"), "\(e)")
        }
        XCTAssertNoThrow(try Printer.file("networkd/x.network") { $0.text(0, "id") })
    }

    /// The compiled XML templates escape as swift-mustache's HTML content
    /// type does, and leave plain text as it is.
    func testEscapedTextMatchesTheReferenceEscaping() {
        for text in ["virbr0", "a<b>&\"c'd", "<", "x&&y", "plain text - ok"] {
            var out = TemplateOutput()
            out.literal("[")
            out.escaped(text, "v")
            out.literal("]")
            XCTAssertEqual(String(decoding: out.bytes, as: UTF8.self), "[" + TemplateCompiler.htmlEscape(text) + "]", text)
            XCTAssert(out.problems.isEmpty)
        }
    }

    func testIntegersPrintAsDecimal() throws {
        for v in [0, 7, 10, 4094, 65535, -3, Int.max] {
            var bytes: [UInt8] = []
            v.write(to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), String(v))
        }
    }
}
