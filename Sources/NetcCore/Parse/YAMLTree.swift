import CYaml

/// A YAML node with its source position, as netc reads it: scalars keep
/// their source text (no YAML 1.1 type guessing), mappings keep their order.
struct YNode {
    enum Kind {
        case scalar(String, quoted: Bool)
        case mapping([(key: YNode, value: YNode)])
        case sequence([YNode])
    }

    /// Where a collection started, and its tag and anchor.
    struct Header {
        var range: SourceRange
        var tag: String?
        var anchor: String?
    }

    var kind: Kind
    var range: SourceRange
    /// The explicit tag written in the source, if any (tags are refused).
    var explicitTag: String?

    var isNull: Bool {
        if case .scalar(let s, quoted: false) = kind { return ["", "~", "null", "Null", "NULL"].contains(s) }
        return false
    }

    var isQuoted: Bool {
        if case .scalar(_, quoted: true) = kind { return true }
        return false
    }

    var scalarText: String? {
        if case .scalar(let s, _) = kind { return s }
        return nil
    }

    /// What the user wrote, in words, for "expected X, found Y".
    var kindDescription: String {
        switch kind {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s, let quoted):
            isNull ? "nothing" : quoted ? "the string \"\(s)\"" : "'\(s)'"
        }
    }
}

/// The lines of a text, found once by a byte scan and cut on demand.
struct Lines {
    let text: String
    /// UTF-8 offset of each line's first byte, and of its end (its line
    /// break: `\n`, `\r\n` or a lone `\r`, as libyaml counts lines).
    let starts: [Int]
    let ends: [Int]

    init(_ text: String) {
        self.text = text
        var text = text
        (self.starts, self.ends) = text.withUTF8 { bytes in
            var starts = [0], ends: [Int] = []
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                    ends.append(i)
                    if b == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                    starts.append(i + 1)
                }
                i += 1
            }
            ends.append(bytes.count)
            return (starts, ends)
        }
    }

    var count: Int { starts.count }

    /// Line `i` (0-based) as Unicode scalars, without its line break.
    subscript(i: Int) -> Substring.UnicodeScalarView {
        let utf8 = text.utf8
        let a = utf8.index(utf8.startIndex, offsetBy: starts[i])
        let b = utf8.index(utf8.startIndex, offsetBy: ends[i])
        return text[a..<b].unicodeScalars
    }

    /// The 1-based line and column (in Unicode scalars) of a UTF-8 offset.
    func position(ofOffset offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let utf8 = text.utf8
        let a = utf8.index(utf8.startIndex, offsetBy: starts[lo])
        let b = utf8.index(utf8.startIndex, offsetBy: min(max(offset, starts[lo]), utf8.count))
        return (lo + 1, text[a..<b].unicodeScalars.count + 1)
    }
}

/// Reads YAML text into a `YNode` tree straight from libyaml's events
/// (Yams' bundled copy, CYaml): no intermediate node tree, scalars as their
/// source text, positions from libyaml's marks. Syntax errors, a second
/// document and duplicate keys stop reading; they come back as E001/E002.
/// An alias shares the anchored node's storage (no copy).
enum YAMLTreeReader {
    /// How many nodes a file's aliases may stand for in all (E009). Aliases
    /// share storage, but whatever walks the tree (merge keys, the parser)
    /// pays for what they expand to: a 681-byte file of nine levels of ten
    /// merges stood for 10^9 mappings.
    static let aliasExpansionLimit = 2_000_000

    static func read(_ text: String) -> (YNode?, [Diagnostic]) {
        let lines = Lines(text)
        var utf8 = text
        return utf8.withUTF8 { bytes in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return (nil, [Diagnostic(.E001, "cannot read YAML: out of memory", at: SourceRange(line: 1, column: 1))])
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var empty: UInt8 = 0
            withUnsafePointer(to: &empty) { e in
                yaml_parser_set_input_string(&parser, bytes.baseAddress ?? e, bytes.count)
            }
            var builder = TreeBuilder(lines: lines, mayHaveTags: bytes.contains(UInt8(ascii: "!")))
            let (root, diagnostics) = builder.run(&parser)
            // A reader error (a control character libyaml refuses) carries
            // a byte offset, not a line and column.
            if parser.error == YAML_READER_ERROR, let d = diagnostics.first {
                let p = lines.position(ofOffset: parser.problem_offset)
                return (nil, [Diagnostic(d.code, d.message, at: SourceRange(line: p.line, column: p.column), notes: d.notes)])
            }
            return (root, diagnostics)
        }
    }

    static func mark(_ m: yaml_mark_t) -> (line: Int, column: Int) { (m.line + 1, m.column + 1) }

    static func error(_ parser: yaml_parser_t) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        switch parser.error {
        case YAML_READER_ERROR:
            return Diagnostic(.E001, "cannot read the file: \(problem)", at: SourceRange(line: 1, column: 1))
        case YAML_MEMORY_ERROR:
            return Diagnostic(.E001, "cannot read YAML: out of memory", at: SourceRange(line: 1, column: 1))
        default:
            var notes: [DiagnosticNote] = []
            if let context = parser.context {
                let m = mark(parser.context_mark)
                notes.append(DiagnosticNote(String(cString: context), at: SourceRange(line: m.line, column: m.column)))
            }
            let m = mark(parser.problem_mark)
            return Diagnostic(.E001, "YAML syntax error: \(problem)", at: SourceRange(line: m.line, column: m.column), notes: notes)
        }
    }
}

/// Builds the tree from events, with a stack of open collections.
private struct TreeBuilder {
    /// An open collection, mutated in place on the stack (so that its
    /// arrays stay uniquely referenced and appends stay O(1)).
    struct Frame {
        var header: YNode.Header
        var isMapping: Bool
        /// Nodes this collection stands for with its aliases expanded.
        var expanded = 1
        var items: [YNode] = []
        var pairs: [(key: YNode, value: YNode)] = []
        var key: YNode?
        var seen: [String: SourceRange] = [:]
    }

    let lines: Lines
    let mayHaveTags: Bool
    var stack: [Frame] = []
    var anchors: [String: YNode] = [:]
    /// Each anchor's expanded size (nodes, aliases expanded).
    var anchorSizes: [String: Int] = [:]
    /// Nodes reached through aliases so far: what walking the tree would
    /// cost beyond the file itself.
    var aliasExpansion = 0
    var root: YNode?
    var documents = 0

    init(lines: Lines, mayHaveTags: Bool) {
        self.lines = lines
        self.mayHaveTags = mayHaveTags
    }

    mutating func run(_ parser: inout yaml_parser_t) -> (YNode?, [Diagnostic]) {
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return (nil, [YAMLTreeReader.error(parser)]) }
            defer { yaml_event_delete(&event) }
            let m = YAMLTreeReader.mark(event.start_mark)
            let range = SourceRange(line: m.line, column: m.column)
            var failure: Diagnostic?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return (root, [])
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    return (nil, [Diagnostic(.E001, "YAML syntax error: but found another document", at: range,
                                             notes: [DiagnosticNote("expected a single document in the stream",
                                                                    at: SourceRange(line: 1, column: 1))])])
                }
            case YAML_ALIAS_EVENT:
                let name = String(cString: event.data.alias.anchor)
                guard let node = anchors[name] else {
                    return (nil, [Diagnostic(.E001, "YAML syntax error: found undefined alias", at: range)])
                }
                let size = anchorSizes[name] ?? 1
                aliasExpansion = Self.sum(aliasExpansion, size)
                if aliasExpansion > YAMLTreeReader.aliasExpansionLimit {
                    return (nil, [Diagnostic(.E009, "aliases in this file expand to more than \(YAMLTreeReader.aliasExpansionLimit) nodes "
                                             + "by here ('*\(name)' stands for \(size == Int.max ? "too many" : "\(size)") nodes): "
                                             + "a topology needs no alias bomb", at: range)])
                }
                failure = add(node, expanded: size)
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                let node = scalar(value, style: s.style, at: m, tagged: s.tag != nil)
                if let a = s.anchor {
                    anchors[String(cString: a)] = node
                    anchorSizes[String(cString: a)] = 1
                }
                failure = add(node, expanded: 1)
            case YAML_SEQUENCE_START_EVENT:
                let d = event.data.sequence_start
                stack.append(Frame(header: header(m, tagged: d.tag != nil, anchor: d.anchor), isMapping: false))
            case YAML_MAPPING_START_EVENT:
                let d = event.data.mapping_start
                stack.append(Frame(header: header(m, tagged: d.tag != nil, anchor: d.anchor), isMapping: true))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let f = stack.removeLast()
                let node = YNode(kind: f.isMapping ? .mapping(f.pairs) : .sequence(f.items), range: f.header.range,
                                 explicitTag: f.header.tag)
                if let a = f.header.anchor {
                    anchors[a] = node
                    anchorSizes[a] = f.expanded
                }
                failure = add(node, expanded: f.expanded)
            default:
                break
            }
            if let failure { return (nil, [failure]) }
        }
    }

    /// Saturating: nine levels of ten aliases stand for 10^9 nodes, and
    /// deeper bombs would overflow.
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : s
    }

    func header(_ m: (line: Int, column: Int), tagged: Bool, anchor: UnsafeMutablePointer<yaml_char_t>?) -> YNode.Header {
        YNode.Header(range: SourceRange(line: m.line, column: m.column),
                     tag: tagged ? tagText(at: m) : nil, anchor: anchor.map { String(cString: $0) })
    }

    /// The tag as written in the source (after the node's anchor, if any).
    func tagText(at m: (line: Int, column: Int)) -> String {
        guard mayHaveTags, m.line - 1 < lines.count else { return "!" }
        var rest = lines[m.line - 1].dropFirst(m.column - 1)
        if rest.first == "&" { rest = rest.drop { $0 != " " }.drop { $0 == " " } }
        guard rest.first == "!" else { return "!" }
        return String(String.UnicodeScalarView(rest.prefix { $0 != " " }))
    }

    func scalar(_ text: String, style: yaml_scalar_style_t, at m: (line: Int, column: Int), tagged: Bool) -> YNode {
        let quoted = style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
        var length: Int
        if style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE {
            length = 1
        } else if let newline = text.utf8.firstIndex(of: UInt8(ascii: "\n")) {
            length = text[..<newline].unicodeScalars.count + (quoted ? 2 : 0)
        } else {
            length = text.unicodeScalars.count + (quoted ? 2 : 0)
        }
        // Quoted and multi-line scalars may end before their text does
        // (escapes, folding): never point past the end of the line.
        if quoted || length == 1, m.line - 1 < lines.count {
            let available = lines[m.line - 1].count - (m.column - 1)
            length = min(length, max(available, 1))
        }
        return YNode(kind: .scalar(text, quoted: quoted), range: SourceRange(line: m.line, column: m.column, length: length),
                     explicitTag: tagged ? tagText(at: m) : nil)
    }

    /// Adds a finished node to the open collection (or makes it the root).
    /// Returns E002 when it repeats a key of its mapping.
    mutating func add(_ node: YNode, expanded: Int) -> Diagnostic? {
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return nil
        }
        stack[top].expanded = Self.sum(stack[top].expanded, expanded)
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].key {
            stack[top].pairs.append((key, node))
            stack[top].key = nil
        } else {
            if case .scalar(let k, _) = node.kind {
                // Small mappings (almost all) compare keys in place; large
                // ones (the lists of interfaces and networks) use a table.
                var first: SourceRange?
                if stack[top].pairs.count < 16 {
                    // By index: iterating the pairs would copy both nodes of each.
                    for j in stack[top].pairs.indices {
                        if case .scalar(let pk, _) = stack[top].pairs[j].key.kind, pk == k {
                            first = stack[top].pairs[j].key.range
                            break
                        }
                    }
                } else {
                    if stack[top].seen.isEmpty {
                        for p in stack[top].pairs { if case .scalar(let pk, _) = p.key.kind { stack[top].seen[pk] = p.key.range } }
                    }
                    first = stack[top].seen[k]
                    if first == nil { stack[top].seen[k] = node.range }
                }
                if let first {
                    return Diagnostic(.E002, "duplicate key '\(k)' in this mapping", at: node.range,
                                      notes: [DiagnosticNote("'\(k)' first defined here", at: first)])
                }
            }
            stack[top].key = node
        }
        return nil
    }
}
