// libFuzzer entry point: compiled into one module with NetcCore's sources by
// `make fuzz` (see fuzz/README.md), with -sanitize=fuzzer,address; libFuzzer
// supplies main(). Every input goes through the whole compiler: parse,
// check, plan, print, the three diagnostic formats, and the sync plan and
// diff a build would compute. An input that starts with '<' goes through
// `netc import libvirt` instead (XML reader, importer, the check of the
// imported topology). A crash, a trap, a leak-free timeout or an
// allocation past the RSS limit is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func netcFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if bytes.first == UInt8(ascii: "<") {
        guard let imported = try? LibvirtImport.run([.init(name: "fuzz.xml", bytes: bytes)], uplinks: ["br0": "eth0"]) else {
            fatalError("internal error on a fuzz input")
        }
        if let text = imported.text, (try? Compiler.compile(text))?.hasErrors != false {
            fatalError("an imported topology that does not build")
        }
        return 0
    }
    let text = String(decoding: bytes, as: UTF8.self)
    guard let result = try? Compiler.compile(text) else {
        // An InternalError is a bug: make it a finding.
        fatalError("internal error on a fuzz input")
    }
    _ = DiagnosticFormatter.text(result.diagnostics, file: "fuzz.yaml", source: text, color: true)
    _ = DiagnosticFormatter.json(result.diagnostics, file: "fuzz.yaml")
    _ = DiagnosticFormatter.sarif(result.diagnostics, file: "fuzz.yaml", version: "fuzz")
    if !result.files.isEmpty {
        // Against an output folder holding this build with one file changed.
        var existing: [String: [UInt8]] = [:]
        for f in result.files { existing[f.path] = f.bytes }
        existing[result.files[0].path] = Array(bytes.prefix(64))
        let plan = SyncPlan.make(existing: existing, generated: result.files)
        _ = plan
        _ = UnifiedDiff.diff(old: String(decoding: bytes.prefix(64), as: UTF8.self), new: result.files[0].contents,
                             path: result.files[0].path)
    }
    return 0
}
