import Foundation
import XCTest
@testable import NetcCore

/// Runs the built `netc` binary.
enum CLI {
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("netc")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repoRoot.appendingPathComponent(".build/debug/netc")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ args: [String], stdin: String? = nil, cwd: URL? = nil, env extra: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(extra) { $1 }
        p.environment = env
        // Standard output and error go to files, so neither can fill up a pipe.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netc-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        try out.close()
        try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

extension CLI {
    /// Runs another program as a user's tool would run netc: in `dir`, the
    /// built netc first on PATH, `env` added; standard output and error
    /// together.
    static func withNetcOnPath(_ program: String, _ args: [String], in dir: URL, env extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env.merge(extra) { $1 }
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A repository's layout for the tests of tools around netc (pre-commit,
/// CI workflows): DIR/site/topology.yaml, examples/nat's, and DIR/site/out
/// built from it. Returns the topology and its text.
func siteWithNATExample(in dir: URL) throws -> (topology: URL, text: String) {
    let site = dir.appendingPathComponent("site")
    try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
    let topology = site.appendingPathComponent("topology.yaml")
    let text = try readText(examplesDir.appendingPathComponent("nat/topology.yaml"))
    try Data(text.utf8).write(to: topology)
    XCTAssertEqual(try CLI.run(["build", topology.path, "-o", site.appendingPathComponent("out").path]).status, 0)
    return (topology, text)
}

/// A snapshot of a folder: relative path -> (bytes, mtime), to prove that
/// nothing was touched.
struct FolderSnapshot: Equatable {
    var files: [String: Data]
    var mtimes: [String: Date]

    init(_ dir: URL) throws {
        files = [:]
        mtimes = [:]
        let root = dir.standardizedFileURL.path
        guard let e = FileManager.default.enumerator(atPath: root) else { return }
        for case let rel as String in e {
            let path = root + "/" + rel
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            mtimes[rel] = attrs[.modificationDate] as? Date
            if attrs[.type] as? FileAttributeType == .typeRegular { files[rel] = FileManager.default.contents(atPath: path) }
        }
    }
}

/// Sets every file's mtime to a fixed past date, so that a rewrite is seen
/// whatever the file system's timestamp resolution.
func ageFiles(in dir: URL) throws {
    let past = Date(timeIntervalSince1970: 1_000_000_000)
    guard let e = FileManager.default.enumerator(atPath: dir.path) else { return }
    for case let rel as String in e {
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: dir.path + "/" + rel)
    }
}
