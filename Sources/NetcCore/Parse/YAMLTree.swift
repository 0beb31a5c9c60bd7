import Yams

/// A YAML node with its source position, as netc reads it: scalars keep
/// their source text (no YAML 1.1 type guessing), mappings keep their order.
struct YNode {
    enum Kind {
        case scalar(String, quoted: Bool)
        case mapping([(key: YNode, value: YNode)])
        case sequence([YNode])
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
    /// UTF-8 offset of each line's first byte.
    let starts: [Int]

    init(_ text: String) {
        self.text = text
        var text = text
        self.starts = text.withUTF8 { bytes in
            var starts = [0]
            for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "\n") { starts.append(i + 1) }
            return starts
        }
    }

    var count: Int { starts.count }

    /// Line `i` (0-based) as Unicode scalars, without its newline.
    subscript(i: Int) -> Substring.UnicodeScalarView {
        let utf8 = text.utf8
        let a = utf8.index(utf8.startIndex, offsetBy: starts[i])
        let b = i + 1 < starts.count ? utf8.index(utf8.startIndex, offsetBy: starts[i + 1] - 1) : utf8.endIndex
        return text[a..<b].unicodeScalars
    }
}

/// Reads YAML text into a `YNode` tree with Yams' `compose`. Syntax errors
/// and duplicate keys stop reading; they come back as E001/E002.
enum YAMLTreeReader {
    static func read(_ text: String) -> (YNode?, [Diagnostic]) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic, .default)
        } catch let error as YamlError {
            return (nil, [diagnostic(for: error, in: text)])
        } catch {
            return (nil, [Diagnostic(.E001, "cannot read YAML: \(error)", at: SourceRange(line: 1, column: 1))])
        }
        guard let node else { return (nil, []) }
        return (convert(node, lines: Lines(text), mayHaveTags: text.utf8.contains(UInt8(ascii: "!"))), [])
    }

    private static func convert(_ node: Node, lines: Lines, mayHaveTags: Bool) -> YNode {
        let mark = node.mark.map { (line: $0.line, column: $0.column) } ?? (line: 1, column: 1)
        // A node written with a tag starts with `!` in the source (after its
        // anchor, if any); Yams resolves implicit tags, so the text decides.
        var explicitTag: String?
        if mayHaveTags, mark.line - 1 < lines.count {
            var rest = lines[mark.line - 1].dropFirst(mark.column - 1)
            if rest.first == "&" { rest = rest.drop { $0 != " " }.drop { $0 == " " } }
            if rest.first == "!" { explicitTag = String(String.UnicodeScalarView(rest.prefix { $0 != " " })) }
        }
        switch node {
        case .scalar(let s):
            let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
            let text = s.string
            var length: Int
            if s.style == .literal || s.style == .folded {
                length = 1
            } else if let newline = text.firstIndex(of: "\n") {
                length = text[..<newline].unicodeScalars.count + (quoted ? 2 : 0)
            } else {
                length = text.unicodeScalars.count + (quoted ? 2 : 0)
            }
            // Quoted and multi-line scalars may end before their text does
            // (escapes, folding): never point past the end of the line.
            if quoted || length == 1, mark.line - 1 < lines.count {
                let available = lines[mark.line - 1].count - (mark.column - 1)
                length = min(length, max(available, 1))
            }
            return YNode(kind: .scalar(text, quoted: quoted),
                         range: SourceRange(line: mark.line, column: mark.column, length: length),
                         explicitTag: explicitTag)
        case .mapping(let m):
            let pairs = m.map { (key: convert($0.key, lines: lines, mayHaveTags: mayHaveTags), value: convert($0.value, lines: lines, mayHaveTags: mayHaveTags)) }
            return YNode(kind: .mapping(pairs), range: SourceRange(line: mark.line, column: mark.column),
                         explicitTag: explicitTag)
        case .sequence(let seq):
            return YNode(kind: .sequence(seq.map { convert($0, lines: lines, mayHaveTags: mayHaveTags) }),
                         range: SourceRange(line: mark.line, column: mark.column), explicitTag: explicitTag)
        case .alias:
            // compose resolves aliases; an unresolved one would be a Yams bug.
            return YNode(kind: .scalar("", quoted: false), range: SourceRange(line: mark.line, column: mark.column),
                         explicitTag: nil)
        }
    }

    static func diagnostic(for error: YamlError, in text: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var notes: [DiagnosticNote] = []
            if let context {
                notes.append(DiagnosticNote(context.text, at: SourceRange(line: context.mark.line, column: context.mark.column)))
            }
            return Diagnostic(.E001, "YAML syntax error: \(problem)",
                              at: SourceRange(line: mark.line, column: mark.column), notes: notes)
        case .reader(let problem, _, _, _):
            return Diagnostic(.E001, "cannot read the file: \(problem)", at: SourceRange(line: 1, column: 1))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let first = SourceRange(line: context.mark.line, column: context.mark.column,
                                    length: key.unicodeScalars.count)
            let second = locateRepeat(of: key, after: (context.mark.line, context.mark.column), in: text) ?? first
            return Diagnostic(.E002, "duplicate key '\(key)' in this mapping", at: second,
                              notes: second == first ? [] : [DiagnosticNote("'\(key)' first defined here", at: first)])
        default:
            return Diagnostic(.E001, "cannot read YAML: \(error)", at: SourceRange(line: 1, column: 1))
        }
    }

    /// Yams reports a duplicate key at its first occurrence; find the second
    /// one, which is where the user's mistake is: the next `key:` at the same
    /// column in a block mapping, or later on the same line in a flow mapping.
    static func locateRepeat(of key: String, after mark: (line: Int, column: Int), in text: String) -> SourceRange? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let k = Array(key.unicodeScalars)
        func keyAt(_ line: [Unicode.Scalar], _ col: Int) -> Bool {
            for quote in ["", "\"", "'"] {
                let q = Array(quote.unicodeScalars)
                let word = q + k + q
                guard col + word.count < line.count + 1, Array(line[col..<min(col + word.count, line.count)]) == word
                else { continue }
                var j = col + word.count
                while j < line.count, line[j] == " " { j += 1 }
                if j < line.count, line[j] == ":" { return true }
            }
            return false
        }
        let l0 = mark.line - 1, c0 = mark.column - 1
        guard l0 < lines.count else { return nil }
        // Flow mapping: same line, further right.
        var c = c0 + 1
        while c < lines[l0].count {
            if keyAt(lines[l0], c), c > 0, [" ", "{", ","].contains(lines[l0][c - 1]) {
                return SourceRange(line: l0 + 1, column: c + 1, length: k.count)
            }
            c += 1
        }
        // Block mapping: a later line whose key starts at the same column.
        for l in (l0 + 1)..<lines.count {
            let line = lines[l]
            let indent = line.prefix { $0 == " " || $0 == "-" }.count
            if line.count > indent, indent < c0, line[indent] != "#" { break }
            if keyAt(line, c0), line.prefix(c0).allSatisfy({ $0 == " " || $0 == "-" }) {
                return SourceRange(line: l + 1, column: c0 + 1, length: k.count)
            }
        }
        return nil
    }
}
