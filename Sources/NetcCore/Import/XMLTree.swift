/// A small, strict XML reader for the documents `netc import` reads (libvirt
/// network XML as `virsh net-dumpxml` prints it): elements, attributes,
/// character data, comments, processing instructions and CDATA, with the
/// five predefined entities and character references. Every element and
/// attribute keeps its position, so that a diagnostic points into the file.
///
/// A DOCTYPE is refused (libvirt writes none; refusing it also refuses
/// entity definitions and their expansion). Namespaces are not resolved:
/// `dnsmasq:options` is an element named `dnsmasq:options`.
public enum XMLTree {
    /// The deepest nesting read; libvirt's network XML has five levels.
    static let depthLimit = 256

    /// The document's root element, or a located E010 (not UTF-8, or a NUL)
    /// or E801 (not well-formed).
    public static func parse(_ bytes: [UInt8]) throws(Failure) -> Element {
        if let d = SourceText.check(bytes) { throw Failure(diagnostic: d) }
        var reader = Reader(bytes: bytes)
        return try reader.document()
    }

    public struct Failure: Error {
        public var diagnostic: Diagnostic
    }

    struct Reader {
        let bytes: [UInt8]
        var i = 0
        var line = 1
        var column = 1

        init(bytes: [UInt8]) {
            self.bytes = bytes
            // A UTF-8 byte order mark is allowed before the document.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        }

        var here: SourceLocation { SourceLocation(line: line, column: column) }
        var atEnd: Bool { i >= bytes.count }
        var current: UInt8 { bytes[i] }

        func fail(_ message: Message, at location: SourceLocation? = nil) -> Failure {
            let l = location ?? here
            return Failure(diagnostic: Diagnostic(message, at: SourceRange(line: l.line, column: l.column)))
        }

        /// Moves past one character (a whole UTF-8 sequence), counting lines
        /// and columns as the diagnostics do (a column per Unicode scalar).
        mutating func advance() {
            let b = bytes[i]
            if b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if b != 0x0D && (b & 0xC0) != 0x80 {
                column += 1
            }
            i += 1
        }

        mutating func advance(_ n: Int) { for _ in 0..<n { advance() } }

        func looking(at s: String) -> Bool {
            let u = Array(s.utf8)
            return i + u.count <= bytes.count && bytes[i..<(i + u.count)].elementsEqual(u)
        }

        static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

        mutating func skipSpace() { while !atEnd, Self.isSpace(current) { advance() } }

        static func isNameByte(_ b: UInt8, first: Bool) -> Bool {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), UInt8(ascii: ":"): true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): !first
            default: b >= 0x80
            }
        }

        mutating func name(_ what: String) throws(Failure) -> (String, SourceRange) {
            let start = here, from = i
            guard !atEnd, Self.isNameByte(current, first: true) else {
                throw fail(atEnd ? .xmlEndsEarly(what) : .xmlExpectedName(what, shown()))
            }
            while !atEnd, Self.isNameByte(current, first: i == from) { advance() }
            return (String(decoding: bytes[from..<i], as: UTF8.self), SourceRange(start: start, end: here))
        }

        /// The character at the position, for messages.
        func shown() -> String {
            guard !atEnd else { return "the end of the document" }
            let n = max(1, SourceText.sequenceLength(bytes, at: i))
            return "'" + Escape.controls(String(decoding: bytes[i..<min(i + n, bytes.count)], as: UTF8.self)) + "'"
        }

        /// Skips `<!-- ... -->`, `<?...?>` and white space between markup.
        /// Returns false at anything else.
        mutating func miscellany() throws(Failure) -> Bool {
            if looking(at: "<!--") {
                let start = here
                advance(4)
                while !looking(at: "-->") {
                    if atEnd { throw fail(.xmlUnclosedComment, at: start) }
                    if looking(at: "--") { throw fail(.xmlDoubleHyphenInComment) }
                    advance()
                }
                advance(3)
                return true
            }
            if looking(at: "<?") {
                let start = here
                advance(2)
                while !looking(at: "?>") {
                    if atEnd { throw fail(.xmlUnclosedProcessingInstruction, at: start) }
                    advance()
                }
                advance(2)
                return true
            }
            return false
        }

        mutating func document() throws(Failure) -> Element {
            while true {
                skipSpace()
                if try miscellany() { continue }
                break
            }
            if looking(at: "<!DOCTYPE") { throw fail(.xmlDoctype) }
            guard looking(at: "<") else {
                throw fail(atEnd ? .xmlNoElement : .xmlExpectedRoot(shown()))
            }
            let root = try element()
            while true {
                skipSpace()
                if atEnd { return root }
                if try miscellany() { continue }
                throw fail(.xmlSecondRoot(shown(), root.name))
            }
        }

        /// One element and everything in it, read without recursion.
        mutating func element() throws(Failure) -> Element {
            var stack: [Element] = []
            while true {
                // At '<' of a start tag.
                advance()
                let (name, range) = try self.name("an element name")
                var e = Element(name: name, range: range)
                // Names seen, for the duplicate check: a set once there are
                // many (an element may carry any number of attributes).
                var names: Set<String> = []
                while true {
                    let spaced = !atEnd && Self.isSpace(current)
                    skipSpace()
                    if atEnd { throw fail(.xmlUnclosedStartTag(name), at: range.start) }
                    if current == UInt8(ascii: "/") || current == UInt8(ascii: ">") { break }
                    guard spaced else { throw fail(.xmlExpectedTagEnd(name, shown())) }
                    let (attribute, attributeRange) = try self.name("an attribute name")
                    if e.attributes.count < 16 ? e.attribute(attribute) != nil : names.contains(attribute) {
                        let first = e.attribute(attribute)!
                        throw fail(.xmlDuplicateAttribute(attribute, name, first.range.start),
                                   at: attributeRange.start)
                    }
                    if e.attributes.count == 15 { names = Set(e.attributes.map(\.name)) }
                    if e.attributes.count >= 15 { names.insert(attribute) }
                    skipSpace()
                    guard !atEnd, current == UInt8(ascii: "=") else { throw fail(.xmlExpectedEquals(attribute, shown())) }
                    advance()
                    skipSpace()
                    guard !atEnd, current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") else {
                        throw fail(.xmlExpectedQuotedValue(attribute, shown()))
                    }
                    let quote = current
                    advance()
                    let valueStart = here
                    var value: [UInt8] = []
                    while true {
                        if atEnd { throw fail(.xmlUnclosedValue(attribute), at: valueStart) }
                        if current == quote { break }
                        if current == UInt8(ascii: "<") { throw fail(.xmlLessThanInValue) }
                        if current == UInt8(ascii: "&") { value += try reference(); continue }
                        // Attribute value normalization: white space becomes a space.
                        value.append(Self.isSpace(current) ? 0x20 : current)
                        advance()
                    }
                    let valueEnd = here
                    advance()
                    e.attributes.append(.init(name: attribute, value: String(decoding: value, as: UTF8.self), range: attributeRange,
                                              valueRange: SourceRange(start: valueStart, end: valueEnd)))
                }
                if current == UInt8(ascii: "/") {
                    advance()
                    guard !atEnd, current == UInt8(ascii: ">") else { throw fail(.xmlExpectedEmptyTagEnd(name, shown())) }
                    advance()
                    if let done = close(e, into: &stack) { return done }
                } else {
                    advance()
                    guard stack.count < XMLTree.depthLimit else { throw fail(.xmlTooDeep(XMLTree.depthLimit), at: range.start) }
                    stack.append(e)
                }
                // Content until the next start tag, or the end tags it closes.
                while true {
                    if atEnd { throw fail(.xmlUnclosedElement(stack.last!.name), at: stack.last!.range.start) }
                    if try miscellany() { continue }
                    if looking(at: "<![CDATA[") {
                        let start = here
                        advance(9)
                        var text: [UInt8] = []
                        while !looking(at: "]]>") {
                            if atEnd { throw fail(.xmlUnclosedCDATA, at: start) }
                            text.append(current)
                            advance()
                        }
                        advance(3)
                        appendText(text, at: start, to: &stack)
                        continue
                    }
                    if looking(at: "</") {
                        let start = here
                        advance(2)
                        let (closing, _) = try self.name("an element name")
                        skipSpace()
                        guard !atEnd, current == UInt8(ascii: ">") else { throw fail(.xmlExpectedCloseTagEnd(closing, shown())) }
                        advance()
                        let open = stack.removeLast()
                        guard closing == open.name else {
                            throw fail(.xmlMismatchedClose(closing, open.name, open.range.start), at: start)
                        }
                        if let done = close(open, into: &stack) { return done }
                        continue
                    }
                    if looking(at: "<!") { throw fail(.xmlUnexpectedMarkup(shown(), stack.last!.name)) }
                    if looking(at: "<") { break }
                    // Character data.
                    let start = here
                    var text: [UInt8] = []
                    while !atEnd, current != UInt8(ascii: "<") {
                        if current == UInt8(ascii: "&") { text += try reference(); continue }
                        if looking(at: "]]>") { throw fail(.xmlCDATAEndInText) }
                        text.append(current)
                        advance()
                    }
                    appendText(text, at: start, to: &stack)
                }
            }
        }

        /// Adds a finished element to its parent; the root when none.
        func close(_ e: Element, into stack: inout [Element]) -> Element? {
            if stack.isEmpty { return e }
            stack[stack.count - 1].children.append(e)
            return nil
        }

        func appendText(_ text: [UInt8], at start: SourceLocation, to stack: inout [Element]) {
            guard !stack.isEmpty else { return }
            if stack[stack.count - 1].textRange == nil, text.contains(where: { !Self.isSpace($0) }) {
                stack[stack.count - 1].textRange = SourceRange(start: start, end: start)
            }
            stack[stack.count - 1].text += String(decoding: text, as: UTF8.self)
        }

        /// `&name;` or `&#N;` / `&#xN;` at the position, as UTF-8.
        mutating func reference() throws(Failure) -> [UInt8] {
            let start = here
            advance()
            var name: [UInt8] = []
            while !atEnd, current != UInt8(ascii: ";") {
                guard name.count < 12, !Self.isSpace(current), current != UInt8(ascii: "<") else {
                    throw fail(.xmlBareAmpersand, at: start)
                }
                name.append(current)
                advance()
            }
            if atEnd { throw fail(.xmlBareAmpersand, at: start) }
            advance()
            let text = String(decoding: name, as: UTF8.self)
            switch text {
            case "lt": return [UInt8(ascii: "<")]
            case "gt": return [UInt8(ascii: ">")]
            case "amp": return [UInt8(ascii: "&")]
            case "quot": return [UInt8(ascii: "\"")]
            case "apos": return [UInt8(ascii: "'")]
            default:
                var digits = Substring(text)
                var radix = 10
                guard digits.hasPrefix("#") else {
                    throw fail(.xmlUnknownEntity(Escape.controls(text)), at: start)
                }
                digits = digits.dropFirst()
                if digits.hasPrefix("x") { radix = 16; digits = digits.dropFirst() }
                guard let v = UInt32(digits, radix: radix), let scalar = Unicode.Scalar(v), v != 0 else {
                    throw fail(.xmlBadCharacterReference(Escape.controls(text)), at: start)
                }
                return Array(String(Character(scalar)).utf8)
            }
        }
    }
}

extension XMLTree {
    /// One element: its name, attributes, child elements and text.
    public struct Element: Sendable {
        public struct Attribute: Sendable {
            public var name: String
            public var value: String
            /// The attribute's name in the start tag.
            public var range: SourceRange
            /// The value between its quotes.
            public var valueRange: SourceRange
        }

        public var name: String
        /// The element's name in its start tag.
        public var range: SourceRange
        public var attributes: [Attribute] = []
        public var children: [Element] = []
        /// The character data directly inside the element (CDATA included).
        public var text = ""
        /// Where that character data starts.
        public var textRange: SourceRange?

        public func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }

        public func children(_ name: String) -> [Element] { children.filter { $0.name == name } }

        public func child(_ name: String) -> Element? { children.first { $0.name == name } }
    }
}
