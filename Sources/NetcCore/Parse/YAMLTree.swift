import CYaml
import Dispatch
import Foundation

/// The nodes of one YAML document, flat: one array of nodes, one of child
/// slots and one of scalar texts, filled by `YAMLTreeReader` and read-only
/// after. A node is an index into it (`YNode`), so that building the tree
/// and walking it allocate nothing per mapping or list and copy no
/// reference-counted values: a 10,000-network file has 230,000 nodes.
final class YAMLArena {
    struct Raw {
        /// Where the node starts and ends, in 32 bits each (28 bytes a
        /// node, not 48: a 100,000-network file has 2.3 million).
        var line: Int32, column: Int32, endLine: Int32, endColumn: Int32
        /// A scalar: its index in `texts`; a collection: its first slot in
        /// `children`.
        var start: Int32
        /// A collection's slots in `children` (two per pair of a mapping).
        var count: Int32
        var kind: Kind
        var quoted: Bool
        var tagged: Bool

        init(range: SourceRange, start: Int32, count: Int32, kind: Kind, quoted: Bool, tagged: Bool) {
            line = Int32(clamping: range.start.line)
            column = Int32(clamping: range.start.column)
            endLine = Int32(clamping: range.end.line)
            endColumn = Int32(clamping: range.end.column)
            self.start = start
            self.count = count
            self.kind = kind
            self.quoted = quoted
            self.tagged = tagged
        }

        var range: SourceRange {
            SourceRange(start: SourceLocation(line: Int(line), column: Int(column)),
                        end: SourceLocation(line: Int(endLine), column: Int(endColumn)))
        }
    }

    enum Kind: UInt8 { case scalar, mapping, sequence }

    /// The nodes and the child slots, in memory the arena owns: reading a
    /// node retains nothing (an array read through a class reference
    /// retains its buffer, and the parser reads nodes by the million).
    let raw: UnsafeMutableBufferPointer<Raw>
    let children: UnsafeMutableBufferPointer<Int32>
    let texts: [String]
    /// The explicit tag written in the source, by node index (tags are refused).
    let tags: [Int32: String]

    init(raw: [Raw], children: [Int32], texts: [String], tags: [Int32: String]) {
        self.raw = .allocate(capacity: raw.count)
        _ = self.raw.initialize(from: raw)
        self.children = .allocate(capacity: children.count)
        _ = self.children.initialize(from: children)
        self.texts = texts
        self.tags = tags
    }

    deinit {
        raw.deallocate()
        children.deallocate()
    }
}

/// A parsed document: its nodes and its root. Nodes point into the arena
/// without holding it: keep the document alive while they are read
/// (`TopologyParser` does, for its whole run).
struct YAMLDocument {
    let arena: YAMLArena
    let root: YNode
}

/// A YAML node with its source position, as netc reads it: scalars keep
/// their source text (no YAML 1.1 type guessing), mappings keep their order.
/// An index into its document's arena, valid while the document lives.
struct YNode {
    enum Kind {
        case scalar(String, quoted: Bool)
        case mapping(Pairs)
        case sequence(Items)
    }

    /// A mapping's pairs, in the order written: its child slots two by two.
    struct Pairs: RandomAccessCollection {
        let slots: Items
        var startIndex: Int { 0 }
        var endIndex: Int { slots.count / 2 }
        subscript(i: Int) -> (key: YNode, value: YNode) { (slots[2 * i], slots[2 * i + 1]) }
    }

    /// A list's items (or a mapping's child slots), in the order written.
    struct Items: RandomAccessCollection {
        unowned(unsafe) let arena: YAMLArena
        let start: Int
        let count: Int
        var startIndex: Int { 0 }
        var endIndex: Int { count }
        subscript(i: Int) -> YNode { YNode(arena, arena.children[start + i]) }
    }

    unowned(unsafe) let arena: YAMLArena
    let index: Int32

    init(_ arena: YAMLArena, _ index: Int32) {
        self.arena = arena
        self.index = index
    }

    private var raw: YAMLArena.Raw { arena.raw[Int(index)] }

    var kind: Kind {
        let r = raw
        switch r.kind {
        case .scalar: return .scalar(arena.texts[Int(r.start)], quoted: r.quoted)
        case .mapping: return .mapping(Pairs(slots: Items(arena: arena, start: Int(r.start), count: Int(r.count))))
        case .sequence: return .sequence(Items(arena: arena, start: Int(r.start), count: Int(r.count)))
        }
    }

    var range: SourceRange { raw.range }

    /// The explicit tag written in the source, if any (tags are refused).
    var explicitTag: String? { raw.tagged ? arena.tags[index] : nil }

    var isNull: Bool {
        let r = raw
        guard r.kind == .scalar, !r.quoted else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(arena.texts[Int(r.start)])
    }

    var isQuoted: Bool { raw.quoted }

    var isMapping: Bool { raw.kind == .mapping }

    var scalarText: String? {
        let r = raw
        return r.kind == .scalar ? arena.texts[Int(r.start)] : nil
    }

    /// Whether this is the unquoted scalar `text`.
    func isPlain(_ text: String) -> Bool {
        let r = raw
        return r.kind == .scalar && !r.quoted && arena.texts[Int(r.start)] == text
    }

    /// An untagged scalar other than the merge key `<<`: a key the parser
    /// reads as it is.
    var isPlainKey: Bool {
        let r = raw
        return r.kind == .scalar && !r.tagged && (r.quoted || arena.texts[Int(r.start)] != "<<")
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

/// Reads YAML text into a flat `YAMLArena` straight from libyaml's events
/// (Yams' bundled copy, CYaml): scalars as their source text, positions
/// from libyaml's marks. Syntax errors, a second
/// document and duplicate keys stop reading; they come back as E001/E002.
/// An alias is the anchored node's index again (no copy).
enum YAMLTreeReader {
    /// How many nodes a file's aliases may stand for in all (E009). Aliases
    /// share storage, but whatever walks the tree (merge keys, the parser)
    /// pays for what they expand to: a 681-byte file of nine levels of ten
    /// merges stood for 10^9 mappings.
    static let aliasExpansionLimit = 2_000_000

    static func read(_ text: String) -> (YAMLDocument?, [Diagnostic]) {
        let lines = Lines(text)
        var utf8 = text
        return utf8.withUTF8 { bytes in
            var builder = TreeBuilder(lines: lines, mayHaveTags: bytes.contains(UInt8(ascii: "!")), bytes: bytes.count)
            // On two cores (`TwoCores`): libyaml on one, the arena built
            // on the other (`EventPipe`).
            guard TwoCores.worth(bytes: bytes.count) else {
                let pipe = EventPipe(limit: Int.max)
                produce(bytes, lines: lines, into: pipe)
                return builder.run(pipe)
            }
            let pipe = EventPipe(limit: 32)
            let done = DispatchSemaphore(value: 0)
            // The bytes outlive the producer: it is joined before this
            // closure returns, whatever the builder found.
            nonisolated(unsafe) let input = bytes
            DispatchQueue.global().async {
                produce(input, lines: lines, into: pipe)
                done.signal()
            }
            let result = builder.run(pipe)
            pipe.cancel()
            done.wait()
            return result
        }
    }

    /// Runs libyaml over `bytes` and sends its events to `pipe` in chunks,
    /// until the stream ends, a syntax error (sent as the pipe's failure),
    /// or the builder cancels.
    static func produce(_ bytes: UnsafeBufferPointer<UInt8>, lines: Lines, into pipe: EventPipe) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            pipe.close(failure: Diagnostic(.outOfMemory, at: SourceRange(line: 1, column: 1)))
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        var empty: UInt8 = 0
        withUnsafePointer(to: &empty) { e in
            yaml_parser_set_input_string(&parser, bytes.baseAddress ?? e, bytes.count)
        }
        var chunk: [YAMLEvent] = []
        chunk.reserveCapacity(EventPipe.chunkSize)
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                _ = pipe.put(chunk)
                pipe.close(failure: error(parser, lines: lines))
                return
            }
            let e = YAMLEvent(event)
            yaml_event_delete(&event)
            chunk.append(e)
            if e.kind == .streamEnd {
                _ = pipe.put(chunk)
                pipe.close(failure: nil)
                return
            }
            if chunk.count == EventPipe.chunkSize {
                guard pipe.put(chunk) else { return }
                chunk.removeAll(keepingCapacity: true)
            }
        }
    }

    static func mark(_ m: yaml_mark_t) -> (line: Int, column: Int) { (m.line + 1, m.column + 1) }

    static func error(_ parser: yaml_parser_t, lines: Lines) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        switch parser.error {
        case YAML_READER_ERROR:
            // A control character libyaml refuses: located by a byte
            // offset, not a line and column.
            let p = lines.position(ofOffset: parser.problem_offset)
            return Diagnostic(.cannotReadFile(problem), at: SourceRange(line: p.line, column: p.column))
        case YAML_MEMORY_ERROR:
            return Diagnostic(.outOfMemory, at: SourceRange(line: 1, column: 1))
        default:
            var notes: [DiagnosticNote] = []
            if let context = parser.context {
                let m = mark(parser.context_mark)
                notes.append(DiagnosticNote(String(cString: context), at: SourceRange(line: m.line, column: m.column)))
            }
            let m = mark(parser.problem_mark)
            return Diagnostic(.yamlSyntaxError(problem), at: SourceRange(line: m.line, column: m.column), notes: notes)
        }
    }
}

/// Builds the arena from events, with a stack of open collections. The
/// children of every open collection wait in one array (`pending`), each
/// collection's behind the next's; a collection that ends moves its own
/// into the arena's `children`, so no collection has an array of its own.
private struct TreeBuilder {
    /// An open collection.
    struct Frame {
        var range: SourceRange
        var tag: String?
        var anchor: String?
        var isMapping: Bool
        /// Where its children start in `pending`.
        var start: Int
        /// Nodes this collection stands for with its aliases expanded.
        var expanded = 1
        /// A large mapping's keys (the lists of interfaces and networks),
        /// for duplicate keys; small ones compare keys in place.
        var seen: [String: SourceRange] = [:]
    }

    let lines: Lines
    let mayHaveTags: Bool
    var raw: [YAMLArena.Raw] = []
    var children: [Int32] = []
    var texts: [String] = []
    var tags: [Int32: String] = [:]
    var pending: [Int32] = []
    var stack: [Frame] = []
    /// Each anchor's node and expanded size (nodes, aliases expanded).
    var anchors: [String: (node: Int32, size: Int)] = [:]
    /// Nodes reached through aliases so far: what walking the tree would
    /// cost beyond the file itself.
    var aliasExpansion = 0
    var root: Int32?
    var documents = 0

    init(lines: Lines, mayHaveTags: Bool, bytes: Int) {
        self.lines = lines
        self.mayHaveTags = mayHaveTags
        // A topology has a node per 6 to 7 bytes: reserve for one per 6, so
        // that the arrays do not grow (and copy) a dozen times on the way.
        raw.reserveCapacity(bytes / 6 + 16)
        children.reserveCapacity(bytes / 6 + 16)
        texts.reserveCapacity(bytes / 8 + 16)
    }

    /// Builds the arena from the pipe's events, to the end of the stream
    /// or the first problem.
    mutating func run(_ pipe: EventPipe) -> (YAMLDocument?, [Diagnostic]) {
        while let chunk = pipe.take() {
            for event in chunk {
                if let end = handle(event) { return end }
            }
        }
        return (nil, [pipe.failure ?? Diagnostic(.streamEndedEarly, at: SourceRange(line: 1, column: 1))])
    }

    /// One event; the result once reading is over (the document, or the
    /// diagnostic that stopped it).
    mutating func handle(_ event: YAMLEvent) -> (YAMLDocument?, [Diagnostic])? {
        let m = (line: event.line, column: event.column)
        let range = SourceRange(line: m.line, column: m.column)
        var failure: Diagnostic?
        switch event.kind {
        case .streamEnd:
            guard let root else { return (nil, []) }
            let arena = YAMLArena(raw: raw, children: children, texts: texts, tags: tags)
            return (YAMLDocument(arena: arena, root: YNode(arena, root)), [])
        case .documentStart:
            documents += 1
            if documents > 1 {
                return (nil, [Diagnostic(.secondDocument, at: range,
                                         notes: [DiagnosticNote("expected a single document in the stream",
                                                                at: SourceRange(line: 1, column: 1))])])
            }
        case .alias:
            let name = event.text
            guard let (node, size) = anchors[name] else {
                return (nil, [Diagnostic(.undefinedAlias, at: range)])
            }
            aliasExpansion = Self.sum(aliasExpansion, size)
            if aliasExpansion > YAMLTreeReader.aliasExpansionLimit {
                return (nil, [Diagnostic(.aliasExpansion(YAMLTreeReader.aliasExpansionLimit, name, size == Int.max ? "too many" : "\(size)"), at: range)])
            }
            failure = add(node, expanded: size)
        case .scalar:
            let node = scalar(event.text, style: event.style, at: m, tagged: event.tagged)
            if let a = event.anchor { anchors[a] = (node, 1) }
            failure = add(node, expanded: 1)
        case .sequenceStart:
            open(m, tagged: event.tagged, anchor: event.anchor, isMapping: false)
        case .mappingStart:
            open(m, tagged: event.tagged, anchor: event.anchor, isMapping: true)
        case .end:
            let f = stack.removeLast()
            let count = pending.count - f.start
            let node = Int32(raw.count)
            raw.append(YAMLArena.Raw(range: f.range, start: Int32(children.count), count: Int32(count),
                                     kind: f.isMapping ? .mapping : .sequence, quoted: false, tagged: f.tag != nil))
            if let tag = f.tag { tags[node] = tag }
            children.append(contentsOf: pending[f.start...])
            pending.removeLast(count)
            if let a = f.anchor { anchors[a] = (node, f.expanded) }
            failure = add(node, expanded: f.expanded)
        case .other:
            break
        }
        return failure.map { (nil, [$0]) }
    }

    /// Saturating: nine levels of ten aliases stand for 10^9 nodes, and
    /// deeper bombs would overflow.
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : s
    }

    mutating func open(_ m: (line: Int, column: Int), tagged: Bool, anchor: String?, isMapping: Bool) {
        stack.append(Frame(range: SourceRange(line: m.line, column: m.column), tag: tagged ? tagText(at: m) : nil,
                           anchor: anchor, isMapping: isMapping, start: pending.count))
    }

    /// The tag as written in the source (after the node's anchor, if any).
    func tagText(at m: (line: Int, column: Int)) -> String {
        guard mayHaveTags, m.line - 1 < lines.count else { return "!" }
        var rest = lines[m.line - 1].dropFirst(m.column - 1)
        if rest.first == "&" { rest = rest.drop { $0 != " " }.drop { $0 == " " } }
        guard rest.first == "!" else { return "!" }
        return String(String.UnicodeScalarView(rest.prefix { $0 != " " }))
    }

    mutating func scalar(_ text: String, style: yaml_scalar_style_t, at m: (line: Int, column: Int), tagged: Bool) -> Int32 {
        let quoted = style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
        var length: Int
        if style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE {
            length = 1
        } else if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x80 }) {
            // Printable ASCII (almost every scalar): one column per byte.
            length = text.utf8.count + (quoted ? 2 : 0)
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
        let node = Int32(raw.count)
        raw.append(YAMLArena.Raw(range: SourceRange(line: m.line, column: m.column, length: length), start: Int32(texts.count),
                                 count: 0, kind: .scalar, quoted: quoted, tagged: tagged))
        texts.append(text)
        if tagged { tags[node] = tagText(at: m) }
        return node
    }

    /// The text of a scalar node, or nil.
    func text(of node: Int32) -> String? {
        let r = raw[Int(node)]
        return r.kind == .scalar ? texts[Int(r.start)] : nil
    }

    /// Adds a finished node to the open collection (or makes it the root).
    /// Returns E002 when it repeats a key of its mapping.
    mutating func add(_ node: Int32, expanded: Int) -> Diagnostic? {
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return nil
        }
        stack[top].expanded = Self.sum(stack[top].expanded, expanded)
        let start = stack[top].start
        // A mapping's key comes at an even slot, its value at an odd one.
        if stack[top].isMapping && (pending.count - start) % 2 == 0, let k = text(of: node) {
            var first: SourceRange?
            if pending.count - start < 32 {
                for j in stride(from: start, to: pending.count, by: 2) where text(of: pending[j]) == k {
                    first = raw[Int(pending[j])].range
                    break
                }
            } else {
                if stack[top].seen.isEmpty {
                    for j in stride(from: start, to: pending.count, by: 2) {
                        if let pk = text(of: pending[j]), stack[top].seen[pk] == nil { stack[top].seen[pk] = raw[Int(pending[j])].range }
                    }
                }
                let range = raw[Int(node)].range
                first = stack[top].seen[k]
                if first == nil { stack[top].seen[k] = range }
            }
            if let first {
                return Diagnostic(.duplicateKey(k), at: raw[Int(node)].range,
                                  notes: [DiagnosticNote("'\(k)' first defined here", at: first)])
            }
        }
        pending.append(node)
        return nil
    }
}

/// One libyaml event, copied out of libyaml's memory (so that it can cross
/// to the thread that builds the arena).
struct YAMLEvent {
    enum Kind: UInt8 { case streamEnd, documentStart, alias, scalar, sequenceStart, mappingStart, end, other }

    var kind: Kind
    /// 1-based, as diagnostics count.
    var line: Int
    var column: Int
    var style: yaml_scalar_style_t
    var tagged: Bool
    var anchor: String?
    /// A scalar's value; an alias's anchor name.
    var text: String

    init(_ e: yaml_event_t) {
        let m = YAMLTreeReader.mark(e.start_mark)
        line = m.line
        column = m.column
        style = YAML_ANY_SCALAR_STYLE
        tagged = false
        anchor = nil
        text = ""
        switch e.type {
        case YAML_STREAM_END_EVENT: kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT: kind = .documentStart
        case YAML_ALIAS_EVENT:
            kind = .alias
            text = String(cString: e.data.alias.anchor)
        case YAML_SCALAR_EVENT:
            kind = .scalar
            let s = e.data.scalar
            text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            style = s.style
            tagged = s.tag != nil
            anchor = s.anchor.map { String(cString: $0) }
        case YAML_SEQUENCE_START_EVENT:
            kind = .sequenceStart
            tagged = e.data.sequence_start.tag != nil
            anchor = e.data.sequence_start.anchor.map { String(cString: $0) }
        case YAML_MAPPING_START_EVENT:
            kind = .mappingStart
            tagged = e.data.mapping_start.tag != nil
            anchor = e.data.mapping_start.anchor.map { String(cString: $0) }
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT: kind = .end
        default: kind = .other
        }
    }
}

/// libyaml's events on their way from the thread that parses to the one
/// that builds the arena: chunks in order, at most `limit` waiting (the
/// parser waits beyond that, so that a large file's events are never all
/// in memory at once), then the end of the stream or its syntax error.
final class EventPipe: @unchecked Sendable {
    static let chunkSize = 2048

    private let condition = NSCondition()
    private let limit: Int
    private var chunks: [[YAMLEvent]] = []
    private var head = 0
    private var closed = false
    private var cancelled = false
    /// The syntax error that ended the stream, if any; read after `take()`
    /// returned nil.
    private(set) var failure: Diagnostic?

    init(limit: Int) {
        self.limit = limit
    }

    /// Adds a chunk; false when the builder has stopped reading.
    func put(_ chunk: [YAMLEvent]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count - head >= limit && !cancelled { condition.wait() }
        if cancelled { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    func close(failure: Diagnostic?) {
        condition.lock()
        self.failure = failure
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, waiting for it; nil after the last.
    func take() -> [YAMLEvent]? {
        condition.lock()
        defer { condition.unlock() }
        while head == chunks.count && !closed { condition.wait() }
        guard head < chunks.count else { return nil }
        let chunk = chunks[head]
        chunks[head] = []
        head += 1
        condition.broadcast()
        return chunk
    }

    /// The builder stops reading: the parser stops at its next chunk.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
