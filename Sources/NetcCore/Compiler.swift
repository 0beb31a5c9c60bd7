/// The whole pipeline in memory: topology text in, files and diagnostics out.
///
///     parse (Parse/)  ->  validate (Validate/)  ->  lower (Lower/)  ->  render (Render/)
///
/// Nothing here touches the file system.
public struct CompileResult: Sendable {
    /// Sorted by position. Empty files and a nil plan when there are errors.
    public var diagnostics: [Diagnostic]
    public var plan: HostPlan?
    /// Sorted by path; empty when there are errors.
    public var files: [OutputFile]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

public enum Compiler {
    /// - Parameters:
    ///   - text: the topology YAML.
    ///   - fileName: the name of the topology file as the user gave it; only
    ///     its base name reaches the generated files.
    public static func compile(_ text: String, fileName: String) throws -> CompileResult {
        let result = check(text)
        guard let syntax = result.syntax, !result.bag.hasErrors else {
            return CompileResult(diagnostics: result.bag.sorted, plan: nil, files: [])
        }
        let plan = Lowering.lower(syntax, sourceName: headerName(fileName))
        let files = try Renderer.render(plan)
        return CompileResult(diagnostics: result.bag.sorted, plan: plan, files: files)
    }

    /// Parse and validate only.
    public static func diagnose(_ text: String) -> [Diagnostic] {
        check(text).bag.sorted
    }

    static func check(_ text: String) -> (syntax: TopologySyntax?, bag: DiagnosticBag) {
        var bag = DiagnosticBag()
        let (syntax, parseDiagnostics) = TopologyParser.parse(text)
        bag.append(contentsOf: parseDiagnostics)
        if let syntax { bag.append(contentsOf: Validator.validate(syntax)) }
        return (syntax, bag)
    }

    /// The file's base name, reduced to characters that are safe in every
    /// generated file's comment (no newline, no `--` inside an XML comment).
    static func headerName(_ fileName: String) -> String {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        var out = String(base.unicodeScalars.map { NameRules.isNameScalar($0) ? Character($0) : "_" })
        while out.contains("--") { out = out.replacingOccurrences(of: "--", with: "-") }
        return out.isEmpty ? "topology" : out
    }
}
