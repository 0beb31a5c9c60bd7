import Foundation

/// Formats diagnostics for people (text) and for tools (JSON, SARIF 2.1.0).
public enum DiagnosticFormatter {
    public enum Format: String, CaseIterable, Sendable { case text, json, sarif }

    // MARK: Text

    /// `FILE:LINE:COL: SEVERITY: MESSAGE [CODE]`, the source line, and a
    /// caret under the range; notes follow as their own lines.
    public static func text(_ diagnostics: [Diagnostic], file: String, source: String, color: Bool) -> String {
        if diagnostics.isEmpty { return "" }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
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
                let line = String(lines[l - 1]).replacingOccurrences(of: "\t", with: " ")
                let gutter = String(l)
                let width = max(5, gutter.count + 1)
                out += String(repeating: " ", count: width - gutter.count) + gutter + " | " + line + "\n"
                let pad = String(repeating: " ", count: width)
                let col = max(1, min(d.range.start.column, line.unicodeScalars.count + 1))
                let span = max(1, d.range.end.line == l ? d.range.end.column - d.range.start.column : 1)
                let prefix = String(line.unicodeScalars.prefix(col - 1).map { _ in " " }.joined())
                let marker = "^" + String(repeating: "~", count: span - 1)
                out += "\(pad) | \(prefix)\(paint(marker, "1;32"))\n"
            }
            for n in d.notes {
                if let r = n.range {
                    out += paint("\(file):\(r.start.line):\(r.start.column):", "1") + " \(severityWord(.note)) \(n.message)\n"
                } else {
                    out += "\(severityWord(.note)) \(n.message)\n"
                }
            }
        }
        return out
    }

    // MARK: JSON

    static func object(_ d: Diagnostic, file: String) -> [String: Any] {
        [
            "file": file, "line": d.range.start.line, "column": d.range.start.column,
            "endLine": d.range.end.line, "endColumn": d.range.end.column,
            "severity": d.severity.rawValue, "code": d.code.rawValue, "message": d.message,
            "notes": d.notes.map { n -> [String: Any] in
                var o: [String: Any] = ["message": n.message]
                if let r = n.range {
                    o["file"] = file
                    o["line"] = r.start.line
                    o["column"] = r.start.column
                }
                return o
            },
        ]
    }

    public static func json(_ diagnostics: [Diagnostic], file: String) -> String {
        encode(diagnostics.map { object($0, file: file) })
    }

    // MARK: SARIF 2.1.0

    public static func sarif(_ diagnostics: [Diagnostic], file: String, version: String) -> String {
        let codes = Array(Set(diagnostics.map(\.code))).sorted { $0.rawValue < $1.rawValue }
        let rules: [[String: Any]] = codes.map { c in
            [
                "id": c.rawValue,
                "name": c.entry.title,
                "shortDescription": ["text": c.entry.title],
                "fullDescription": ["text": c.entry.explanation],
                "help": ["text": Catalogue.explain(c), "markdown": "```yaml\n\(c.entry.fixed)```"],
                "defaultConfiguration": ["level": c.severity == .error ? "error" : "warning"],
            ]
        }
        func location(_ r: SourceRange, _ message: String? = nil) -> [String: Any] {
            var l: [String: Any] = [
                "physicalLocation": [
                    "artifactLocation": ["uri": file],
                    "region": [
                        "startLine": r.start.line, "startColumn": r.start.column,
                        "endLine": r.end.line, "endColumn": r.end.column,
                    ] as [String: Any],
                ] as [String: Any],
            ]
            if let message { l["message"] = ["text": message] }
            return l
        }
        let results: [[String: Any]] = diagnostics.map { d in
            var r: [String: Any] = [
                "ruleId": d.code.rawValue,
                "ruleIndex": codes.firstIndex(of: d.code)!,
                "level": d.severity == .error ? "error" : d.severity == .warning ? "warning" : "note",
                "message": ["text": d.message],
                "locations": [location(d.range)],
            ]
            let related = d.notes.compactMap { n in n.range.map { location($0, n.message) } }
            if !related.isEmpty { r["relatedLocations"] = related }
            return r
        }
        let log: [String: Any] = [
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [[
                "tool": ["driver": [
                    "name": "netc", "version": version,
                    "rules": rules,
                ] as [String: Any]],
                "results": results,
            ] as [String: Any]],
        ]
        return encode(log)
    }

    static func encode(_ value: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
