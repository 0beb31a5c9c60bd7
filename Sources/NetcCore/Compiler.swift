/// The whole pipeline in memory: topology text in, files and diagnostics out.
///
///     parse (Parse/)  ->  check (Check/)  ->  plan (Backends/*)  ->  print (Print/)
///     text -> TopologySyntax -> Topology + diagnostics -> typed artifacts -> files
///
/// Nothing here touches the file system.
public struct CompileResult: Sendable {
    /// Sorted by position.
    public var diagnostics: [Diagnostic]
    /// The validated topology; nil when there are errors.
    public var topology: Topology?
    /// Sorted by path; empty when there are errors.
    public var files: [OutputFile]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// What the planners produce for one topology, before printing.
public struct Artifacts: Sendable {
    public var networkd: NetworkdUnits
    public var libvirt: [LibvirtNetworkFile]
    public var nftables: NftRuleset
    /// Absent when no network forwards.
    public var sysctl: SysctlFile?

    /// Whether planning and printing use two cores (`TwoCores`).
    public var twoCores = false

    /// networkd's planner beside the other backends, on two cores for a
    /// large topology (`TwoCores`: `twoCores`).
    public static func plan(_ t: Topology, source: String?, twoCores: Bool = false) -> Artifacts {
        let header = Compiler.headerLines(t, source: source)
        let (networkd, others) = both(parallel: twoCores,
                                      { NetworkdPlanner.plan(t, header: header) },
                                      { (LibvirtPlanner.plan(t, header: header), NftPlanner.plan(t, header: header),
                                         SysctlPlanner.plan(t, header: header)) })
        return Artifacts(networkd: networkd, libvirt: others.0, nftables: others.1, sysctl: others.2, twoCores: twoCores)
    }

    /// Every file, sorted by path. networkd has most files (two per link):
    /// a large topology prints the first half of its links on one core,
    /// the rest and the other backends on the other.
    public func print() throws -> [OutputFile] {
        let links = networkd.links, half = links.count / 2
        let (first, second) = try both(parallel: twoCores, { try Printer.networkd(links[..<half]) }, {
            var files = try Printer.networkd(links[half...]) + Printer.libvirt(libvirt)
            files.append(try Printer.nftables(nftables))
            if let sysctl { files.append(try Printer.sysctl(sysctl)) }
            return files
        })
        var files = first + second
        files.sort { $0.path < $1.path }
        return files
    }
}

public enum Compiler {
    /// - Parameters:
    ///   - text: the topology YAML.
    ///   - source: what the generated files' headers name as their source,
    ///     if anything (`--source-name`). By default nothing, so that the
    ///     same topology gives the same bytes however it was passed (a path,
    ///     a renamed copy, standard input).
    /// - Throws: `InternalError` for a bug in netc (never for a topology error).
    public static func compile(_ text: String, source: String? = nil) throws -> CompileResult {
        if let bad = SourceText.check(Array(text.utf8)) { return CompileResult(diagnostics: [bad], topology: nil, files: []) }
        return try compileClean(text, source: source)
    }

    /// The topology as bytes: not UTF-8, or with a NUL, is E010 at the first
    /// bad byte (nothing is decoded by guessing); otherwise `compile(_:)`.
    public static func compile(bytes: [UInt8], source: String? = nil) throws -> CompileResult {
        if let bad = SourceText.check(bytes) { return CompileResult(diagnostics: [bad], topology: nil, files: []) }
        return try compileClean(String(decoding: bytes, as: UTF8.self), source: source)
    }

    /// Check, plan and print a text that passed `SourceText.check`.
    private static func compileClean(_ text: String, source: String?) throws -> CompileResult {
        let (topology, diagnostics) = try check(text)
        guard let topology else { return CompileResult(diagnostics: diagnostics, topology: nil, files: []) }
        let twoCores = TwoCores.worth(bytes: text.utf8.count)
        let files = try Artifacts.plan(topology, source: source.map(sourceName), twoCores: twoCores).print()
        return CompileResult(diagnostics: diagnostics, topology: topology, files: files)
    }

    /// Parse and check only, from bytes (see `compile(bytes:)`).
    public static func diagnose(bytes: [UInt8]) -> [Diagnostic] {
        if let bad = SourceText.check(bytes) { return [bad] }
        return TopologyChecker.diagnose(TopologyParser.parse(String(decoding: bytes, as: UTF8.self)))
    }

    /// Parse and check only.
    public static func diagnose(_ text: String) -> [Diagnostic] {
        if let bad = SourceText.check(Array(text.utf8)) { return [bad] }
        return TopologyChecker.diagnose(TopologyParser.parse(text))
    }

    /// Parse and check: the validated topology (nil on errors) and every
    /// diagnostic, sorted by position.
    public static func check(_ text: String) throws -> (Topology?, [Diagnostic]) {
        try TopologyChecker.check(TopologyParser.parse(text))
    }

    /// The label every file starts with (see `OutputLayout.labelPrefixes`).
    static func headerLines(_ t: Topology, source: String?) -> [String] {
        let from = source.map { " from \($0)" } ?? ""
        let host = t.host.map { " for host \($0)" } ?? ""
        return [
            "Generated by netc\(from)\(host).",
            "Do not edit: change the topology and run netc build again.",
        ]
    }

    /// The source name as the user gave it, reduced to characters that are
    /// safe in every generated file's comment (no newline, no `--` inside an
    /// XML comment): A-Z a-z 0-9 _ . - / : @, anything else becomes `_`.
    static func sourceName(_ name: String) -> String {
        var out = String(name.unicodeScalars.map { c in
            NameRules.isNameScalar(c) || c == "/" || c == ":" || c == "@" ? Character(c) : "_"
        })
        while out.contains("--") { out = out.replacingOccurrences(of: "--", with: "-") }
        return out.isEmpty ? "_" : out
    }
}
