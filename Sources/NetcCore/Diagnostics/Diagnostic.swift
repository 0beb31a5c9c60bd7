/// A position in the topology source: 1-based line and column (columns count
/// Unicode scalars, as libyaml does).
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A half-open range of source text; `end` is the column just past the last
/// character. A range never spans lines: multi-line values are marked by
/// their first line.
public struct SourceRange: Hashable, Comparable, Sendable {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    public init(line: Int, column: Int, length: Int = 1) {
        start = SourceLocation(line: line, column: column)
        end = SourceLocation(line: line, column: column + max(length, 1))
    }

    public static func < (a: SourceRange, b: SourceRange) -> Bool {
        (a.start, a.end) < (b.start, b.end)
    }
}

public enum Severity: String, Sendable, Comparable {
    case error, warning, note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A secondary location that explains a diagnostic ("first defined here").
public struct DiagnosticNote: Hashable, Sendable {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange?) {
        self.message = Escape.clip(Escape.controls(message))
        self.range = range
    }
}

/// One finding about a topology. Diagnostics are values: stages return them,
/// they are never thrown.
public struct Diagnostic: Hashable, Sendable {
    public var code: DiagnosticCode
    public var message: String
    public var range: SourceRange
    public var notes: [DiagnosticNote]

    public var severity: Severity { code.severity }

    /// Control characters in `message` (a name or value from the file may
    /// hold any) are escaped, so that a message is one line in every format.
    /// A message longer than `Escape.messageLimit` characters (a value
    /// quoted from the file can be megabytes) keeps its start and its end.
    public init(_ message: Message, at range: SourceRange, notes: [DiagnosticNote] = []) {
        code = message.code
        self.message = Escape.clip(Escape.controls(message.text))
        self.range = range
        self.notes = notes
    }
}

/// Collects diagnostics during one stage.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func add(_ d: Diagnostic) { diagnostics.append(d) }

    public mutating func add(_ message: Message, at range: SourceRange, notes: [DiagnosticNote] = []) {
        diagnostics.append(Diagnostic(message, at: range, notes: notes))
    }

    public mutating func append(contentsOf other: [Diagnostic]) { diagnostics += other }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Sorted by position, then code; exact repeats removed.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return diagnostics
            .filter { seen.insert($0).inserted }
            .sorted { ($0.range, $0.code.rawValue) < ($1.range, $1.code.rawValue) }
    }
}

/// Escapes for text that reaches a terminal.
public enum Escape {
    /// `text` with every character that could move the cursor or change the
    /// terminal's state written as an escape: `\n`, `\r`, `\t`, `\e`, other
    /// C0 and C1 controls and DEL as `\u{XX}`, and the Unicode line and
    /// paragraph separators and bidirectional controls as `\u{XXXX}`.
    public static func controls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for c in text.unicodeScalars {
            guard isControl(c) else { out.unicodeScalars.append(c); continue }
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{1B}": out += "\\e"
            default: out += "\\u{" + String(c.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// The longest message, in Unicode scalars, before `clip` cuts it.
    public static let messageLimit = 400

    /// `text` cut in the middle to at most about `messageLimit` characters,
    /// saying how much was left out.
    public static func clip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > messageLimit else { return text }
        let head = scalars.prefix(messageLimit - 120), tail = scalars.suffix(80)
        return String(String.UnicodeScalarView(head)) + "...(\(scalars.count - head.count - tail.count) characters left out)..."
            + String(String.UnicodeScalarView(tail))
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: true
        default: false
        }
    }
}
