import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// The output folder under stress: bounded input, concurrent builds, a full
/// disk, an interrupted commit, leftovers and files netc does not own.
final class OutputFolderTests: XCTestCase {
    let nat = examplesDir.appendingPathComponent("nat/topology.yaml").path
    let datacenter = examplesDir.appendingPathComponent("datacenter/topology.yaml").path

    /// Exactly the files of a fresh build of `topology`.
    func expectedFiles(_ topology: String) throws -> [String: Data] {
        let dir = try temporaryFolder(self)
        XCTAssertEqual(try CLI.run(["build", topology, "-o", dir.path]).status, 0)
        return try FolderSnapshot(dir).files
    }

    func shell(_ script: String) throws -> HostTools.Output {
        try HostTools.run("/bin/bash", ["-c", script])
    }

    // MARK: Input

    func testEveryInputIsReadUpToItsLimit() throws {
        let netc = CLI.binary.path
        // Standard input, /dev/zero and a FIFO stop at 64 MiB with the reason.
        for input in ["head -c 70000000 /dev/zero | \(netc) check -", "\(netc) check /dev/zero"] {
            let r = try shell(input)
            XCTAssertEqual(r.status, 2, input)
            XCTAssert(r.text.contains("is larger than 64 MiB, the most netc reads"), r.text)
        }
        // FIFOs and process substitution are read like files.
        let fifo = try temporaryFolder(self).appendingPathComponent("fifo").path
        let r = try shell("mkfifo \(fifo) && (cat \(nat) > \(fifo) &) && \(netc) check \(fifo) && \(netc) check <(cat \(nat))")
        XCTAssertEqual(r.status, 0, r.text)
        let dir = try temporaryFolder(self)
        let d = try CLI.run(["check", dir.path])
        XCTAssertEqual(d.status, 2)
        XCTAssert(d.stderr.contains("Is a directory"), d.stderr)
    }

    // MARK: One run at a time

    /// Two builds of different topologies into one folder, again and again:
    /// each run leaves exactly one topology's output, never a mix.
    func testConcurrentBuildsNeverMix() throws {
        let a = try expectedFiles(nat), b = try expectedFiles(datacenter)
        let out = try temporaryFolder(self).appendingPathComponent("out").path
        let netc = CLI.binary.path
        for round in 0..<8 {
            let r = try shell("\(netc) build \(nat) -o \(out) & a=$!; \(netc) build \(datacenter) -o \(out) & b=$!; "
                              + "wait $a; s=$?; wait $b; exit $((s | $?))")
            XCTAssertEqual(r.status, 0, "round \(round): \(r.text)")
            let now = try FolderSnapshot(URL(fileURLWithPath: out)).files
            XCTAssert(now == a || now == b, "round \(round): the folder is a mix:\n\(now.keys.sorted())")
        }
    }

    /// A run waits for the one holding the folder, and gives up with exit 2
    /// and a clear message when it takes too long.
    func testARunWaitsForTheFolderAndGivesUpClearly() throws {
        try HostTools.require(["flock"], root: false, for: "output folder lock test")
        let out = try temporaryFolder(self)
        let netc = CLI.binary.path
        let waited = try shell("flock \(out.path) sleep 1.5 & sleep 0.3; \(netc) build \(nat) -o \(out.path); echo status=$?")
        XCTAssert(waited.text.contains("waiting for another netc run in \(out.path)"), waited.text)
        XCTAssert(waited.text.contains("status=0"), waited.text)
        let gaveUp = try shell("flock \(out.path) sleep 4 & sleep 0.3; NETC_LOCK_WAIT=1 \(netc) build \(nat) -o \(out.path); echo status=$?; wait")
        XCTAssert(gaveUp.text.contains("another netc run still holds \(out.path) after 1 s"), gaveUp.text)
        XCTAssert(gaveUp.text.contains("status=2"), gaveUp.text)
    }

    // MARK: All or nothing

    /// A disk that fills up during a build: exit 2 with the reason, and the
    /// folder still holds the previous build whole, with no temporary left.
    func testAFullDiskLeavesThePreviousBuildWhole() throws {
        try HostTools.require(["mount", "umount"], root: true, for: "full-disk test (a tiny tmpfs)")
        let mnt = try temporaryFolder(self)
        XCTAssertEqual(try HostTools.run("mount", ["-t", "tmpfs", "-o", "size=40k", "tmpfs", mnt.path]).status, 0)
        defer { _ = try? HostTools.run("umount", [mnt.path]) }
        let out = mnt.appendingPathComponent("out")
        XCTAssertEqual(try CLI.run(["build", nat, "-o", out.path]).status, 0)
        let before = try FolderSnapshot(out)
        let r = try CLI.run(["build", datacenter, "-o", out.path])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssert(r.stderr.contains("No space left on device"), r.stderr)
        // Every file as it was, mtimes included (the folders' own mtimes
        // change: temporaries were made and removed).
        let after = try FolderSnapshot(out)
        XCTAssertEqual(after.files, before.files, "the previous build is not whole")
        XCTAssertEqual(after.mtimes.filter { after.files[$0.key] != nil }, before.mtimes.filter { before.files[$0.key] != nil })
    }

    /// A crash between two renames of a commit: the next run finishes it
    /// (every temporary was on disk before the first rename), then builds.
    func testAnInterruptedCommitIsFinishedByTheNextRun() throws {
        let b = try expectedFiles(datacenter)
        let out = try temporaryFolder(self)
        XCTAssertEqual(try CLI.run(["build", nat, "-o", out.path]).status, 0)
        // What a build of the datacenter would have done, stopped after
        // half of its renames: temporaries, the journal, half renamed.
        let old = try FolderSnapshot(out).files
        var renames: [String] = [], removals: [String] = []
        for (path, bytes) in b.sorted(by: { $0.key < $1.key }) where old[path] != bytes {
            let url = out.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: url.deletingLastPathComponent().appendingPathComponent(".netc-tmp-" + url.lastPathComponent))
            renames.append(path)
        }
        removals = old.keys.filter { b[$0] == nil }.sorted()
        try Data((renames.map { "R \($0)\n" } + removals.map { "D \($0)\n" }).joined().utf8)
            .write(to: out.appendingPathComponent(".netc-commit"))
        for p in renames.prefix(renames.count / 2) {
            let url = out.appendingPathComponent(p)
            let tmp = url.deletingLastPathComponent().appendingPathComponent(".netc-tmp-" + url.lastPathComponent)
            XCTAssertEqual(rename(tmp.path, url.path), 0)
        }
        // Even a read-only run finishes the commit first.
        let d = try CLI.run(["diff", datacenter, "-o", out.path])
        XCTAssert(d.stderr.contains("finishing a build of \(out.path) that was interrupted"), d.stderr)
        XCTAssertEqual(d.status, 0, "after the commit is finished nothing differs:\n\(d.stdout)")
        XCTAssertEqual(try FolderSnapshot(out).files, b)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent(".netc-commit").path))
    }

    /// Temporaries an interrupted build left (of any run, any PID) are
    /// removed by the next build, never called foreign.
    func testLeftoverTemporariesAreRemoved() throws {
        let out = try temporaryFolder(self)
        XCTAssertEqual(try CLI.run(["build", nat, "-o", out.path]).status, 0)
        for name in [".netc-tmp-10-netc-eth0.network", ".netc-tmp-4242-40-netc-virbr0.network"] {
            try Data("partial".utf8).write(to: out.appendingPathComponent("networkd/" + name))
        }
        let r = try CLI.run(["build", nat, "-o", out.path])
        XCTAssertEqual(r.status, 0)
        XCTAssertFalse(r.stderr.contains("not generated by netc"), r.stderr)
        XCTAssertEqual(try FolderSnapshot(out).files, try expectedFiles(nat))
    }

    /// Every file of OUT is read whole, whatever its size: around one
    /// read's 64 KiB, several times it, empty of all but the label, and
    /// enough files for both reading threads (`FolderReading`). `diff`
    /// prints each removed file's bytes as netc read them.
    func testFilesOfEverySizeAreReadWhole() throws {
        let out = try temporaryFolder(self)
        XCTAssertEqual(try CLI.run(["build", nat, "-o", out.path]).status, 0)
        let label = "# Generated by netc.\n"
        let sizes = [label.utf8.count, 100, 4096, 65535, 65536, 65537, 131072, 300_001]
        var written: [String: String] = [:]
        for i in 0..<200 {
            let size = sizes[i % sizes.count]
            var text = label
            var line = 0
            while text.utf8.count < size {
                let l = "line \(line) of file \(i)\n"
                text += text.utf8.count + l.utf8.count <= size ? l : String(repeating: "x", count: size - text.utf8.count - 1) + "\n"
                line += 1
            }
            let path = "networkd/zz-\(i).network"
            written[path] = text
            try Data(text.utf8).write(to: out.appendingPathComponent(path))
        }
        let r = try CLI.run(["diff", nat, "-o", out.path])
        XCTAssertEqual(r.status, 3, r.stderr)
        var read: [String: String] = [:]
        var current: String?
        for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("--- ") { current = String(line.dropFirst(4)); read[current!] = ""; continue }
            if line.hasPrefix("+++ ") || line.hasPrefix("@@") { continue }
            if let c = current, line.hasPrefix("-") { read[c]! += line.dropFirst() + "\n" }
        }
        XCTAssertEqual(read.count, written.count)
        for (path, text) in written {
            XCTAssertEqual(read[path]?.utf8.count, text.utf8.count, path)
            XCTAssert(read[path] == text, "\(path) was not read whole")
        }
        // And the build removes them all.
        XCTAssertEqual(try CLI.run(["build", nat, "-o", out.path]).status, 0)
        XCTAssertEqual(try FolderSnapshot(out).files, try expectedFiles(nat))
    }

    // MARK: What netc does not own

    func testAHandWrittenFileAtAGeneratedPathIsRefused() throws {
        let out = try temporaryFolder(self)
        XCTAssertEqual(try CLI.run(["build", nat, "-o", out.path]).status, 0)
        let mine = out.appendingPathComponent("libvirt/default.xml")
        try Data("<network><name>default</name></network>\n".utf8).write(to: mine)
        let before = try FolderSnapshot(out)
        for args in [["build", nat, "-o", out.path], ["build", nat, "-o", out.path, "--check"], ["diff", nat, "-o", out.path]] {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssert(r.stderr.contains("\(out.path)/libvirt/default.xml was not written by netc"), r.stderr)
            XCTAssert(r.stderr.contains("move it out of \(out.path) or delete it"), r.stderr)
        }
        XCTAssertEqual(try FolderSnapshot(out), before)
    }

    /// A symlinked folder or file of netc's is refused (it would follow the
    /// link and remove labelled files elsewhere); OUT itself may be a link.
    func testSymbolicLinksInsideOutAreRefusedButOutMayBeOne() throws {
        let root = try temporaryFolder(self)
        let real = root.appendingPathComponent("real"), link = root.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        XCTAssertEqual(try CLI.run(["build", nat, "-o", link.path]).status, 0)
        XCTAssertEqual(try FolderSnapshot(real).files, try expectedFiles(nat))

        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.moveItem(at: real.appendingPathComponent("nftables"), to: elsewhere)
        try FileManager.default.createSymbolicLink(at: real.appendingPathComponent("nftables"), withDestinationURL: elsewhere)
        try Data("# Generated by netc for host old.\n".utf8).write(to: elsewhere.appendingPathComponent("old.nft"))
        let r = try CLI.run(["build", datacenter, "-o", real.path])
        XCTAssertEqual(r.status, 2)
        XCTAssert(r.stderr.contains("\(real.path)/nftables is a symbolic link"), r.stderr)
        XCTAssert(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("old.nft").path))

        try FileManager.default.removeItem(at: real.appendingPathComponent("nftables"))
        try FileManager.default.createDirectory(at: real.appendingPathComponent("nftables"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: real.appendingPathComponent("nftables/netc.nft"),
                                                   withDestinationURL: elsewhere.appendingPathComponent("old.nft"))
        let f = try CLI.run(["build", nat, "-o", real.path])
        XCTAssertEqual(f.status, 2)
        XCTAssert(f.stderr.contains("\(real.path)/nftables/netc.nft is a symbolic link"), f.stderr)
    }
}
