import Foundation

/// Formats diagnostics for people (text) and for tools (JSON, SARIF 2.1.0).
public enum DiagnosticFormatter {
    public enum Format: String, CaseIterable, Sendable { case text, json, sarif }

    // MARK: Text

    /// `FILE:LINE:COL: SEVERITY: MESSAGE [CODE]`, the source line, and a
    /// caret under the range; notes follow as their own lines. Control
    /// characters in the excerpt are printed as escapes (the caret stays
    /// under what it points at), and a long line is cut to a window around
    /// the caret. Lines end at `\n`, `\r\n` or a lone `\r`, as YAML counts.
    /// With `explainFirst`, the first error ends with a note naming the
    /// `netc explain` command that documents its code (the CLI asks for it
    /// once a run).
    public static func text(_ diagnostics: [Diagnostic], file: String, source: String, color: Bool, explainFirst: Bool = false) -> String {
        if diagnostics.isEmpty { return "" }
        var explain = explainFirst
        let lines = SourceText.lines(source)
        var out = ""
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func severityWord(_ s: Severity) -> String {
            switch s {
            case .error: paint("error:", "1;31")
            case .warning: paint("warning:", "1;35")
            case .note: paint("note:", "1;36")
            }
        }
        for d in diagnostics {
            out += paint("\(file):\(d.range.start.line):\(d.range.start.column):", "1") + " "
            out += "\(severityWord(d.severity)) \(d.message) [\(d.code.rawValue)]\n"
            let l = d.range.start.line
            if l >= 1, l <= lines.count {
                let span = max(1, d.range.end.line == l ? d.range.end.column - d.range.start.column : 1)
                let (line, caretAt, caretWidth) = excerpt(lines[l - 1], column: d.range.start.column, span: span)
                let gutter = String(l)
                let width = max(5, gutter.count + 1)
                out += String(repeating: " ", count: width - gutter.count) + gutter + " | " + line + "\n"
                let marker = "^" + String(repeating: "~", count: max(0, caretWidth - 1))
                out += String(repeating: " ", count: width) + " | " + String(repeating: " ", count: caretAt) + paint(marker, "1;32") + "\n"
            }
            for n in d.notes {
                if let r = n.range {
                    out += paint("\(file):\(r.start.line):\(r.start.column):", "1") + " \(severityWord(.note)) \(n.message)\n"
                } else {
                    out += "\(severityWord(.note)) \(n.message)\n"
                }
            }
            if explain, d.severity == .error {
                out += "\(severityWord(.note)) \(Message.explainHint(d.code).text)\n"
                explain = false
            }
        }
        return out
    }

    /// Columns of an excerpt shown on each side of the caret, at most.
    static let excerptWindow = 60

    /// A source line as printed: tabs as `→` (one column, and visible: a tab
    /// in indentation is E011), control characters as
    /// escapes (`\u{0}`, `\e`...), cut to `excerptWindow` columns each side
    /// of the range with `...` where text is left out. Returns the printed
    /// line, where the caret starts in it, and how wide the range prints.
    static func excerpt(_ line: Substring.UnicodeScalarView, column: Int, span: Int) -> (String, Int, Int) {
        let scalars = Array(line)
        let start = max(0, min(column - 1, scalars.count))
        let end = min(scalars.count, start + span)
        func show(_ c: Unicode.Scalar) -> String { c == "\t" ? "→" : Escape.controls(String(c)) }
        var lo = start, hi = end
        var left = 0, right = 0
        while lo > 0, left < excerptWindow { lo -= 1; left += show(scalars[lo]).count }
        while hi < scalars.count, right < excerptWindow + max(0, 20 - (end - start)) { right += show(scalars[hi]).count; hi += 1 }
        let cutLeft = lo > 0, cutRight = hi < scalars.count
        let prefix = (cutLeft ? "..." : "") + scalars[lo..<start].map(show).joined()
        // A range that runs past the window is marked to the window's edge.
        let shownEnd = min(end, start + 2 * excerptWindow)
        let middle = scalars[start..<shownEnd].map(show).joined()
        let rest = shownEnd < end ? "" : scalars[end..<max(end, hi)].map(show).joined()
        let line = prefix + middle + rest + (cutRight || shownEnd < end ? "..." : "")
        return (line, prefix.count, max(1, middle.count))
    }

    // MARK: JSON

    /// One JSON array, one object a line: written directly, in linear time
    /// (no intermediate object graph).
    public static func json(_ diagnostics: [Diagnostic], file: String) -> String {
        json(diagnostics.map { (file, $0) })
    }

    /// Diagnostics of several files (`netc import`), in the given order.
    public static func json(_ located: [(file: String, diagnostic: Diagnostic)]) -> String {
        let diagnostics = located
        let w = JSONWriter()
        w.out += "["
        for (i, (file, d)) in located.enumerated() {
            w.out += i == 0 ? "\n  " : ",\n  "
            w.object {
                w.field("code") { w.string(d.code.rawValue) }
                w.field("column") { w.int(d.range.start.column) }
                w.field("endColumn") { w.int(d.range.end.column) }
                w.field("endLine") { w.int(d.range.end.line) }
                w.field("file") { w.string(file) }
                w.field("line") { w.int(d.range.start.line) }
                w.field("message") { w.string(d.message) }
                w.field("notes") {
                    w.array(d.notes) { n in
                        w.object {
                            // A note without a place of its own is about
                            // the diagnostic's: every note has file, line
                            // and column.
                            let r = n.range ?? d.range
                            w.field("column") { w.int(r.start.column) }
                            w.field("file") { w.string(file) }
                            w.field("line") { w.int(r.start.line) }
                            w.field("message") { w.string(n.message) }
                        }
                    }
                }
                w.field("severity") { w.string(d.severity.rawValue) }
            }
        }
        w.out += diagnostics.isEmpty ? "]\n" : "\n]\n"
        return w.out
    }

    // MARK: SARIF 2.1.0

    public static func sarif(_ diagnostics: [Diagnostic], file: String, version: String) -> String {
        sarif(diagnostics.map { (file, $0) }, version: version)
    }

    /// Diagnostics of several files (`netc import`), in the given order.
    public static func sarif(_ located: [(file: String, diagnostic: Diagnostic)], version: String) -> String {
        let codes = Array(Set(located.map(\.diagnostic.code))).sorted { $0.rawValue < $1.rawValue }
        var ruleIndex: [DiagnosticCode: Int] = [:]
        for (i, c) in codes.enumerated() { ruleIndex[c] = i }
        let w = JSONWriter()
        func region(_ r: SourceRange) {
            w.object {
                w.field("endColumn") { w.int(r.end.column) }
                w.field("endLine") { w.int(r.end.line) }
                w.field("startColumn") { w.int(r.start.column) }
                w.field("startLine") { w.int(r.start.line) }
            }
        }
        func location(_ r: SourceRange, _ message: String?, _ uri: String) {
            w.object {
                if let message { w.field("message") { w.object { w.field("text") { w.string(message) } } } }
                w.field("physicalLocation") {
                    w.object {
                        w.field("artifactLocation") { w.object { w.field("uri") { w.string(uri) } } }
                        w.field("region") { region(r) }
                    }
                }
            }
        }
        w.object {
            w.field("$schema") { w.string("https://json.schemastore.org/sarif-2.1.0.json") }
            w.field("runs") {
                w.out += "[\n"
                w.object {
                    w.field("results") {
                        w.out += "["
                        for (i, (file, d)) in located.enumerated() {
                            let uri = sarifURI(file)
                            w.out += i == 0 ? "\n" : ",\n"
                            w.object {
                                w.field("level") { w.string(d.severity == .error ? "error" : d.severity == .warning ? "warning" : "note") }
                                w.field("locations") { w.array([d.range]) { location($0, nil, uri) } }
                                w.field("message") { w.object { w.field("text") { w.string(d.message) } } }
                                let related = d.notes.compactMap { n in n.range.map { ($0, n.message) } }
                                if !related.isEmpty { w.field("relatedLocations") { w.array(related) { location($0.0, $0.1, uri) } } }
                                w.field("ruleId") { w.string(d.code.rawValue) }
                                w.field("ruleIndex") { w.int(ruleIndex[d.code]!) }
                            }
                        }
                        w.out += "\n]"
                    }
                    w.field("tool") {
                        w.object {
                            w.field("driver") {
                                w.object {
                                    w.field("name") { w.string("netc") }
                                    w.field("rules") {
                                        w.array(codes) { c in
                                            w.object {
                                                w.field("defaultConfiguration") {
                                                    w.object { w.field("level") { w.string(c.severity == .error ? "error" : "warning") } }
                                                }
                                                w.field("fullDescription") { w.object { w.field("text") { w.string(c.entry.explanation) } } }
                                                w.field("help") {
                                                    w.object {
                                                        w.field("markdown") { w.string("```\(c.entry.fixedLanguage)\n\(c.entry.fixed)```") }
                                                        w.field("text") { w.string(Catalogue.explain(c)) }
                                                    }
                                                }
                                                w.field("id") { w.string(c.rawValue) }
                                                w.field("name") { w.string(c.entry.title) }
                                                w.field("shortDescription") { w.object { w.field("text") { w.string(c.entry.title) } } }
                                            }
                                        }
                                    }
                                    w.field("version") { w.string(version) }
                                }
                            }
                        }
                    }
                }
                w.out += "\n]"
            }
            w.field("version") { w.string("2.1.0") }
        }
        w.out += "\n"
        return w.out
    }
}

/// A SARIF artifact URI: `file://` and the percent-encoded path for an
/// absolute path (SARIF 2.1.0, 3.10.2), the relative path as a relative
/// reference otherwise (standard input stays `<stdin>`, percent-encoded).
func sarifURI(_ path: String) -> String {
    var out = ""
    for b in path.utf8 {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
            out.unicodeScalars.append(Unicode.Scalar(b))
        default:
            out += "%" + (b < 0x10 ? "0" : "") + String(b, radix: 16, uppercase: true)
        }
    }
    return path.hasPrefix("/") ? "file://" + out : out
}

/// A small JSON writer: keys in the order given (the callers give them
/// sorted), strings escaped per RFC 8259, appended to one buffer.
final class JSONWriter {
    var out = ""
    private var first: [Bool] = []

    func object(_ body: () -> Void) {
        out += "{"
        first.append(true)
        body()
        first.removeLast()
        out += "}"
    }

    func field(_ key: String, _ value: () -> Void) {
        if first[first.count - 1] { first[first.count - 1] = false } else { out += ", " }
        string(key)
        out += ": "
        value()
    }

    func array<T>(_ items: [T], _ body: (T) -> Void) {
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += ", " }
            body(item)
        }
        out += "]"
    }

    func int(_ v: Int) { out += String(v) }

    func string(_ s: String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c.value == 0x2028 || c.value == 0x2029 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        out += "\""
    }
}
