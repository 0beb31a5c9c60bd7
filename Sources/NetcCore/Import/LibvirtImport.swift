/// `netc import libvirt`: libvirt network XML, as `virsh net-dumpxml`
/// prints it, in; a topology out, with a comment wherever the import made a
/// choice, and a located diagnostic for everything it cannot express.
///
///     XML bytes -> XMLTree.Element (XMLTree) -> ImportedTopology (here)
///       -> text (templates/topology.yaml.mustache) -> checked (Compiler)
///
/// The topology is checked as `netc check` would check it; what the check
/// finds is reported at the XML that produced the line (`Locations`).
/// Mode knowledge of the import (which libvirt forward mode becomes which
/// netc mode) lives in `mode(of:)`.
public enum LibvirtImport {
    public struct Source: Sendable {
        /// The name diagnostics and comments use (a path as given).
        public var name: String
        public var bytes: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// A diagnostic and the source (an index into the sources) it is in.
    public struct Finding: Sendable {
        public var source: Int
        public var diagnostic: Diagnostic
    }

    public struct Result: Sendable {
        /// The topology; nil when there are errors.
        public var text: String?
        /// Sorted by source, then position.
        public var findings: [Finding]
        /// The bridges of `uplinks` some network is on.
        public var usedUplinks: Set<String> = []

        public var hasErrors: Bool { findings.contains { $0.diagnostic.severity == .error } }
    }

    /// - Parameter uplinks: bridge name -> the NIC to enslave, for networks
    ///   on a host bridge (`--uplink BRIDGE=NIC`): libvirt's XML does not
    ///   name a host bridge's ports.
    /// - Throws: `InternalError` for a bug in netc.
    public static func run(_ sources: [Source], uplinks: [String: String] = [:]) throws -> Result {
        var importer = Importer(sources: sources, uplinks: uplinks)
        for (i, s) in sources.enumerated() {
            do {
                importer.network(try XMLTree.parse(s.bytes), source: i)
            } catch {
                importer.findings.append(Finding(source: i, diagnostic: error.diagnostic))
            }
        }
        var findings = importer.findings
        func sorted(_ f: [Finding]) -> [Finding] {
            f.sorted { ($0.source, $0.diagnostic.range, $0.diagnostic.code.rawValue) < ($1.source, $1.diagnostic.range, $1.diagnostic.code.rawValue) }
        }
        if findings.contains(where: { $0.diagnostic.severity == .error }) {
            return Result(text: nil, findings: sorted(findings), usedUplinks: importer.usedUplinks)
        }
        let topology = importer.topology()
        var out = TemplateOutput()
        CompiledTemplates.topology_yaml(topology, &out)
        if !out.problems.isEmpty { throw InternalError("printing the imported topology: " + out.problems.joined(separator: "; ")) }
        let text = String(decoding: out.bytes, as: UTF8.self)
        // What `netc check` would say of it, at the XML behind each line.
        let lines = Locations.paths(of: text)
        let textLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // W802 already says, at the XML, that a host link's addressing is
        // missing: the check's W705 (an uplink without an address) and
        // W706 (a bridge without a host address) would say it again.
        let saidByW802 = findings.contains { $0.diagnostic.code == .W802 }
        for d in Compiler.diagnose(text) where !(saidByW802 && [.W705, .W706].contains(d.code)) {
            findings.append(importer.locations.relocate(d, lines: lines, text: textLines, sources: sources))
        }
        let errors = findings.contains { $0.diagnostic.severity == .error }
        return Result(text: errors ? nil : text, findings: sorted(findings), usedUplinks: importer.usedUplinks)
    }
}

/// Where each key of the imported topology came from, by key path
/// (`networks/default/ipv4/subnet`), so that a diagnostic of the check
/// stage is reported at the XML that produced the line.
struct Locations {
    var byPath: [String: (source: Int, range: SourceRange)] = [:]

    mutating func set(_ path: [String], _ source: Int, _ range: SourceRange) {
        let key = path.joined(separator: "/")
        if byPath[key] == nil { byPath[key] = (source, range) }
    }

    /// The key path of each line of `text` (block YAML as the template
    /// writes it: one key a line, nested by indentation); nil for comments
    /// and blank lines.
    static func paths(of text: String) -> [[String]?] {
        var stack: [(indent: Int, key: String)] = []
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            guard !rest.isEmpty, !rest.hasPrefix("#"), let colon = rest.firstIndex(of: ":") else { return nil }
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            stack.append((indent, String(rest[..<colon])))
            return stack.map(\.key)
        }
    }

    func locate(line: Int, in lines: [[String]?]) -> (source: Int, range: SourceRange)? {
        guard line >= 1, line <= lines.count, var path = lines[line - 1] else { return nil }
        while !path.isEmpty {
            if let hit = byPath[path.joined(separator: "/")] { return hit }
            path.removeLast()
        }
        return nil
    }

    /// A diagnostic of the imported topology, moved to the XML behind its
    /// line; the line itself becomes a note.
    func relocate(_ d: Diagnostic, lines: [[String]?], text textLines: [Substring], sources: [LibvirtImport.Source]) -> LibvirtImport.Finding {
        let at = locate(line: d.range.start.line, in: lines) ?? (0, SourceRange(line: 1, column: 1))
        var notes: [DiagnosticNote] = []
        let shown = d.range.start.line <= textLines.count ? String(textLines[d.range.start.line - 1]).trimmingSpaces : ""
        notes.append(DiagnosticNote("in the imported topology, line \(d.range.start.line): \(shown)", at: nil))
        for n in d.notes {
            guard let r = n.range, let other = locate(line: r.start.line, in: lines) else {
                notes.append(DiagnosticNote(n.message, at: nil))
                continue
            }
            if other.source == at.source {
                notes.append(DiagnosticNote(n.message, at: other.range))
            } else {
                notes.append(DiagnosticNote("\(n.message) (\(sources[other.source].name):\(other.range.start))", at: nil))
            }
        }
        var moved = d
        moved.range = at.range
        moved.notes = notes
        return .init(source: at.source, diagnostic: moved)
    }
}
