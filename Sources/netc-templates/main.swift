// Build tool: compiles templates/*.mustache into one Swift file
// (`netc-templates OUTPUT.swift TEMPLATE...`). Run by the CompileTemplates
// build-tool plugin; see Sources/TemplateCompiler.
import Foundation
import TemplateCompiler

let args = CommandLine.arguments.dropFirst()
guard let output = args.first else {
    FileHandle.standardError.write(Data("usage: netc-templates OUTPUT.swift TEMPLATE.mustache...\n".utf8))
    exit(2)
}
do {
    var templates: [TemplateCompiler.Template] = []
    for path in args.dropFirst() {
        let url = URL(fileURLWithPath: path)
        let name = url.deletingPathExtension().lastPathComponent
        templates.append(try TemplateCompiler.parse(try String(contentsOf: url, encoding: .utf8), name: name))
    }
    let swift = Data(TemplateCompiler.swift(templates).utf8)
    // Rewrite only on change, so an unchanged template rebuilds nothing.
    if (try? Data(contentsOf: URL(fileURLWithPath: output))) != swift {
        try swift.write(to: URL(fileURLWithPath: output))
    }
} catch {
    FileHandle.standardError.write(Data("netc-templates: error: \(error)\n".utf8))
    exit(1)
}
