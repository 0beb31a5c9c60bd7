import Foundation

/// Compiles the Mustache templates in templates/ into Swift at build time, so
/// that printing a file is plain typed code: no context lookups by name, no
/// dynamic casts, one pass over the output buffer.
///
/// The supported subset is the one netc's templates use: variables
/// (`{{name}}`, `{{a.b}}`, `{{.}}`; escaped in HTML-typed templates, raw with
/// `{{{name}}}` or `{{&name}}`), sections and inverted sections, comments, and
/// the `{{% CONTENT_TYPE: TEXT }}` pragma; standalone tag lines are removed as
/// the Mustache spec says. Partials, lambdas and delimiter changes are refused.
///
/// Names resolve on the innermost context only (no climbing to outer
/// sections): the generated code reads `c1.name`, so a name the context type
/// does not have is a compile error of the package, and a template can only
/// print what its own section was given.
///
/// A template names the Swift type it renders in a comment tag,
/// `{{! renders: TypeName }}`.
public enum TemplateCompiler {
    public enum Node: Equatable {
        case text(String)
        /// `path` is empty for `{{.}}`.
        case variable(path: [String], escaped: Bool)
        case section(path: [String], inverted: Bool, body: [Node])
    }

    public struct Template: Equatable {
        public var name: String
        public var renders: String
        public var escapesHTML: Bool
        public var nodes: [Node]
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ d: String) { description = d }
    }

    private enum Token {
        case text(String)
        case variable(String, escaped: Bool)
        case open(String, inverted: Bool)
        case close(String)
        case comment(String)
        case pragma(String)

        var isStandaloneKind: Bool {
            switch self {
            case .open, .close, .comment, .pragma: true
            case .text, .variable: false
            }
        }
    }

    // MARK: Parsing

    public static func parse(_ source: String, name: String) throws -> Template {
        let tokens = try standalone(tokenize(source, name: name))
        var renders: String?
        var escapes = true
        for t in tokens {
            if case .comment(let c) = t {
                let c = c.trimmingSpaces
                if c.hasPrefix("renders:") { renders = String(c.dropFirst("renders:".count)).trimmingSpaces }
            }
            if case .pragma(let p) = t {
                let p = p.trimmingSpaces
                guard p == "CONTENT_TYPE: TEXT" || p == "CONTENT_TYPE: HTML" else {
                    throw Failure("\(name): unsupported pragma '\(p)'")
                }
                escapes = p.hasSuffix("HTML")
            }
        }
        var index = 0
        let nodes = try tree(tokens, &index, closing: nil, name: name)
        guard let renders, isIdentifier(renders) else {
            throw Failure("\(name): missing '{{! renders: TypeName }}': the Swift type this template renders")
        }
        return Template(name: name, renders: renders, escapesHTML: escapes, nodes: nodes)
    }

    private static func tokenize(_ source: String, name: String) throws -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { tokens.append(.text(String(rest[..<open.lowerBound]))) }
            var after = rest[open.upperBound...]
            let triple = after.hasPrefix("{")
            let closer = triple ? "}}}" : "}}"
            if triple { after = after.dropFirst() }
            guard let close = after.range(of: closer) else { throw Failure("\(name): unclosed tag") }
            let inside = String(after[..<close.lowerBound])
            rest = after[close.upperBound...]
            if triple {
                tokens.append(.variable(try path(inside, name), escaped: false))
                continue
            }
            let sigil = inside.first
            let body = String(inside.dropFirst())
            switch sigil {
            case "#": tokens.append(.open(body.trimmingSpaces, inverted: false))
            case "^": tokens.append(.open(body.trimmingSpaces, inverted: true))
            case "/": tokens.append(.close(body.trimmingSpaces))
            case "!": tokens.append(.comment(body))
            case "%": tokens.append(.pragma(body))
            case "&": tokens.append(.variable(try path(body, name), escaped: false))
            case ">", "<", "$", "=": throw Failure("\(name): '{{\(inside)}}': partials, blocks and delimiter changes are not supported")
            default: tokens.append(.variable(try path(inside, name), escaped: true))
            }
        }
        if !rest.isEmpty { tokens.append(.text(String(rest))) }
        return tokens
    }

    private static func path(_ raw: String, _ name: String) throws -> String {
        let p = raw.trimmingSpaces
        guard p == "." || p.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isIdentifier(String($0)) }) else {
            throw Failure("\(name): '\(p)' is not a name (letters, digits and _; parts joined by '.')")
        }
        return p
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || (f.isASCII && f.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Removes standalone lines: a line holding only white space and one
    /// section, close, comment or pragma tag disappears with its newline.
    private static func standalone(_ tokens: [Token]) -> [Token] {
        // Split into lines of tokens (text tokens cut at newlines, which stay
        // at the end of their line).
        var lines: [[Token]] = [[]]
        for t in tokens {
            guard case .text(let s) = t else { lines[lines.count - 1].append(t); continue }
            var current = Substring(s)
            while let nl = current.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) {
                lines[lines.count - 1].append(.text(String(current[...nl])))
                lines.append([])
                current = current[current.index(after: nl)...]
            }
            if !current.isEmpty { lines[lines.count - 1].append(.text(String(current))) }
        }
        var out: [Token] = []
        for line in lines {
            let tags = line.filter { if case .text = $0 { false } else { true } }
            let blank = line.allSatisfy {
                if case .text(let s) = $0 { return s.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r\n" } }
                return true
            }
            if tags.count == 1, tags[0].isStandaloneKind, blank {
                out.append(tags[0])
            } else {
                out += line
            }
        }
        // Merge adjacent text.
        var merged: [Token] = []
        for t in out {
            if case .text(let b) = t, case .text(let a)? = merged.last {
                merged[merged.count - 1] = .text(a + b)
            } else {
                merged.append(t)
            }
        }
        return merged
    }

    private static func tree(_ tokens: [Token], _ i: inout Int, closing: String?, name: String) throws -> [Node] {
        var nodes: [Node] = []
        while i < tokens.count {
            let t = tokens[i]
            i += 1
            switch t {
            case .text(let s): nodes.append(.text(s))
            case .variable(let p, let escaped): nodes.append(.variable(path: p == "." ? [] : p.split(separator: ".").map(String.init), escaped: escaped))
            case .open(let p, let inverted):
                _ = try path(p, name)
                let body = try tree(tokens, &i, closing: p, name: name)
                nodes.append(.section(path: p == "." ? [] : p.split(separator: ".").map(String.init), inverted: inverted, body: body))
            case .close(let p):
                guard p == closing else { throw Failure("\(name): '{{/\(p)}}' closes \(closing.map { "'\($0)'" } ?? "nothing")") }
                return nodes
            case .comment, .pragma: continue
            }
        }
        if let closing { throw Failure("\(name): section '\(closing)' is not closed") }
        return nodes
    }

    // MARK: Swift

    /// The Swift function name of a template file name:
    /// `networkd.network` -> `networkd_network`.
    public static func functionName(_ templateName: String) -> String {
        String(templateName.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    public static func swift(_ templates: [Template]) -> String {
        var s = """
        // Generated by netc-templates from templates/*.mustache at build time. Do not edit.
        // Each template becomes one function that prints its context type into a
        // TemplateOutput; see Sources/TemplateCompiler/TemplateCompiler.swift.

        enum CompiledTemplates {

        """
        for t in templates.sorted(by: { $0.name < $1.name }) {
            s += "    /// templates/\(t.name).mustache\n"
            s += "    static func \(functionName(t.name))(_ c0: borrowing \(t.renders), _ out: inout TemplateOutput) {\n"
            emit(t.nodes, depth: 0, indent: "        ", escapes: t.escapesHTML, into: &s)
            s += "    }\n\n"
        }
        s += "}\n"
        return s
    }

    private static func access(_ path: [String], depth: Int) -> String {
        (["c\(depth)"] + path.map { "`\($0)`" }).joined(separator: ".")
    }

    private static func emit(_ nodes: [Node], depth: Int, indent: String, escapes: Bool, into s: inout String) {
        for n in nodes {
            switch n {
            case .text(let t):
                s += "\(indent)out.literal(\(literal(t)))\n"
            case .variable(let p, let escaped):
                s += "\(indent)out.\(escaped && escapes ? "escaped" : "text")(\(access(p, depth: depth)), \"\(p.isEmpty ? "." : p.joined(separator: "."))\")\n"
            case .section(let p, let inverted, let body):
                if inverted {
                    s += "\(indent)if TemplateSection.isEmpty(\(access(p, depth: depth))) {\n"
                    emit(body, depth: depth, indent: indent + "    ", escapes: escapes, into: &s)
                } else {
                    s += "\(indent)TemplateSection.each(\(access(p, depth: depth))) { c\(depth + 1) in\n"
                    emit(body, depth: depth + 1, indent: indent + "    ", escapes: escapes, into: &s)
                }
                s += "\(indent)}\n"
            }
        }
    }

    static func literal(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    // MARK: Interpreting (for tests against swift-mustache)

    /// A dynamic context for `render`: the test double of the typed code.
    public indirect enum Value {
        case text(String)
        case bool(Bool)
        case list([Value])
        case object([String: Value])
        case none
    }

    /// Renders the parsed tree the way the generated code does, over
    /// dynamic values, so tests can hold it against swift-mustache.
    public static func render(_ t: Template, _ context: Value) -> String {
        var out = ""
        render(t.nodes, context, escapes: t.escapesHTML, into: &out)
        return out
    }

    private static func lookup(_ path: [String], _ c: Value) -> Value {
        var v = c
        for p in path {
            guard case .object(let o) = v, let next = o[p] else { return .none }
            v = next
        }
        return v
    }

    private static func render(_ nodes: [Node], _ c: Value, escapes: Bool, into out: inout String) {
        for n in nodes {
            switch n {
            case .text(let t): out += t
            case .variable(let p, let escaped):
                if case .text(let s) = lookup(p, c) { out += escaped && escapes ? htmlEscape(s) : s }
            case .section(let p, let inverted, let body):
                let v = lookup(p, c)
                let items: [Value]
                switch v {
                case .none, .bool(false): items = []
                case .list(let l): items = l
                default: items = [v]
                }
                if inverted {
                    if items.isEmpty { render(body, c, escapes: escapes, into: &out) }
                } else {
                    for item in items { render(body, item, escapes: escapes, into: &out) }
                }
            }
        }
    }

    public static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
