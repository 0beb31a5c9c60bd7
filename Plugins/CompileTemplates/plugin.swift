import Foundation
import PackagePlugin

/// Compiles templates/*.mustache into Swift for NetcCore (see
/// Sources/TemplateCompiler). The templates stay the one place that lays out
/// a generated file; the build turns them into typed code.
@main
struct CompileTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let dir = context.package.directoryURL.appending(path: "templates")
        let templates = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "mustache" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "CompiledTemplates.swift")
        return [.buildCommand(
            displayName: "Compiling \(templates.count) templates",
            executable: try context.tool(named: "netc-templates").url,
            arguments: [output.path] + templates.map(\.path),
            inputFiles: templates,
            outputFiles: [output]
        )]
    }
}
