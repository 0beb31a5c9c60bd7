import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Tests of the core's output against tools other than the daemons:
/// libvirt's test driver and the JSON Schema validator.
final class ToolTests: XCTestCase {

    /// What `virsh net-dumpxml` prints (libvirt's test driver defines each
    /// test network and dumps it back) imports to the same topology.
    func testWhatVirshPrintsImportsTheSame() throws {
        try HostTools.require(["virsh"], root: false, for: "libvirt import test")
        let node = try temporaryFolder(self).appendingPathComponent("node.xml")
        try Data("<node/>\n".utf8).write(to: node)
        for n in ImportNetworks.networks {
            let path = ImportNetworks.dir.appendingPathComponent(n.file).path
            let schema = try HostTools.run("virt-xml-validate", [path, "network"])
            XCTAssertEqual(schema.status, 0, "\(n.file):\n\(schema.text)")
            let dump = try HostTools.run("virsh", ["-q", "-c", "test://\(node.path)", "net-define \(path); net-dumpxml \(n.name)"])
            XCTAssertEqual(dump.status, 0, dump.text)
            let xml = String(dump.text.drop { $0 != "<" })
            XCTAssert(xml.hasPrefix("<network"), dump.text)
            let fromVirsh = try LibvirtImport.run([.init(name: n.file, bytes: Array(xml.utf8))], uplinks: n.uplinks)
            XCTAssertEqual(fromVirsh.text, try ImportNetworks.importFiles([n.file], uplinks: n.uplinks).text, "\(n.file) as virsh prints it:\n\(xml)")
        }
    }


    func testExamplesValidateAndShapeErrorsDoNot() throws {
        // Debian's interpreter, which python3-jsonschema and python3-ruamel.yaml
        // install into (a python3 earlier on PATH may be another one).
        let debianPython = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        let probe = debianPython ? try HostTools.run("/usr/bin/python3", ["-c", "import jsonschema, ruamel.yaml"]) : nil
        if probe?.status != 0 {
            try HostTools.require(["python3-jsonschema and python3-ruamel.yaml"], root: false, for: "JSON Schema validation")
        }
        let script = repoRoot.appendingPathComponent("Tests/schema/validate.py").path
        let schema = repoRoot.appendingPathComponent("docs/topology.schema.json").path
        let examples = try exampleNames().map { examplesDir.appendingPathComponent("\($0)/topology.yaml").path }
        let ok = try HostTools.run("/usr/bin/python3", [script, schema] + examples)
        XCTAssertEqual(ok.text.split(separator: "\n").filter { $0.hasPrefix("ok   ") }.count, examples.count, ok.text)
        for e in examples {
            XCTAssert(try readText(URL(fileURLWithPath: e)).hasPrefix("# yaml-language-server: $schema=../../docs/topology.schema.json\n"), e)
        }
        // The fleet example, by the fleet's schema; its hosts by the topology's.
        let fleet = examplesDir.appendingPathComponent("fleet/fleet.yaml").path
        XCTAssert(try readText(URL(fileURLWithPath: fleet)).hasPrefix("# yaml-language-server: $schema=../../docs/fleet.schema.json\n"))
        let fleetOK = try HostTools.run("/usr/bin/python3", [script, repoRoot.appendingPathComponent("docs/fleet.schema.json").path, fleet])
        XCTAssert(fleetOK.text.hasPrefix("ok   "), fleetOK.text)
        let hosts = try FileManager.default.contentsOfDirectory(atPath: examplesDir.appendingPathComponent("fleet/hosts").path).sorted()
            .map { examplesDir.appendingPathComponent("fleet/hosts/\($0)").path }
        let hostsOK = try HostTools.run("/usr/bin/python3", [script, schema] + hosts)
        XCTAssertEqual(hostsOK.text.split(separator: "\n").filter { $0.hasPrefix("ok   ") }.count, hosts.count, hostsOK.text)
        // A fleet with a key no fleet has fails it.
        let badFleet = try temporaryFolder(self).appendingPathComponent("bad.yaml")
        try Data("version: 1\nhosts:\n  kvm1: {topology: a.yaml, vtpe: eth0}\n".utf8).write(to: badFleet)
        let refused = try HostTools.run("/usr/bin/python3", [script, repoRoot.appendingPathComponent("docs/fleet.schema.json").path, badFleet.path])
        XCTAssert(refused.text.hasPrefix("FAIL "), refused.text)
        // The corpus files whose mistake is one of shape: unknown key, wrong
        // type, missing key, a word not allowed.
        let corpus = repoRoot.appendingPathComponent("Tests/corpus")
        let shape = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted().filter { name in
            guard name.hasSuffix(".yaml"), let first = try? readText(corpus.appendingPathComponent(name)).split(separator: "\n").first
            else { return false }
            return ["E003", "E004", "E005", "E007"].contains { first.contains("expect: \($0)") }
        }.map { corpus.appendingPathComponent($0).path }
        XCTAssertGreaterThanOrEqual(shape.count, 4)
        let bad = try HostTools.run("/usr/bin/python3", [script, schema] + shape)
        XCTAssertEqual(bad.text.split(separator: "\n").filter { $0.hasPrefix("FAIL ") }.count, shape.count, bad.text)
    }

    /// Every package a test's tools come from is installed by .ci/run by
    /// name (not as another package's dependency), so a machine with
    /// .ci/run's packages runs every test.
    func testCIInstallsEveryPackageTheTestsNeed() throws {
        let script = try readText(repoRoot.appendingPathComponent(".ci/run"))
        let list = try XCTUnwrap(script.range(of: "packages=(").map { script[$0.upperBound...] }?.prefix { $0 != ")" })
        let installed = Set(list.split { $0 == " " || $0 == "\n" }.map(String.init).filter { !$0.hasPrefix("#") })
        // In every Debian system (Essential: yes), never missing.
        let essential: Set = ["coreutils", "mount", "bash", "dpkg", "apt"]
        let needed = Set(HostTools.packages.values).subtracting(essential)
        XCTAssertEqual(needed.subtracting(installed).sorted(), [], ".ci/run does not name these packages")
    }

    /// systemd reads the boot unit apply installs without a complaint (an
    /// unknown or misspelt key is only a warning to systemd, and would
    /// silently lose the reload that brings the table back).
    func testSystemdAcceptsTheBootUnit() throws {
        try HostTools.require(["systemd-analyze"], root: false, for: "boot unit check")
        let dir = try temporaryFolder(self)
        let unit = dir.appendingPathComponent("netc-nftables.service")
        try Data(ApplyPlan.bootUnit.utf8).write(to: unit)
        let r = try HostTools.run("systemd-analyze", ["verify", unit.path])
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssertEqual(r.text.trimmingCharacters(in: .whitespacesAndNewlines), "", "systemd-analyze verify complained:\n\(r.text)")
    }
}

/// The hooks of .pre-commit-hooks.yaml, run by pre-commit from PyPI (the
/// version .ci/run installs into .build-tools/pre-commit) from a
/// repository's own .pre-commit-config.yaml naming this repository at its
/// HEAD: they pass on a good topology and its out/, and fail on a mistake
/// and on a stale out/, each naming it.
final class PreCommitTests: XCTestCase {
    func testTheHooksPassAndFailAsTheySay() throws {
        let local = repoRoot.appendingPathComponent(".build-tools/pre-commit/bin/pre-commit").path
        let preCommit = FileManager.default.isExecutableFile(atPath: local) ? local : try HostTools.which("pre-commit")
        if preCommit == nil {
            try HostTools.require(["pre-commit (pip install pre-commit==4.7.0, as .ci/run does into .build-tools/pre-commit)", "git"],
                                  root: false, for: "pre-commit hooks")
        }
        try HostTools.require(["git"], root: false, for: "pre-commit hooks")
        let head = try HostTools.run("git", ["-C", repoRoot.path, "rev-parse", "HEAD"]).text.trimmingCharacters(in: .whitespacesAndNewlines)
        let dir = try temporaryFolder(self), cache = try temporaryFolder(self)
        let site = dir.appendingPathComponent("site")
        let (topology, original) = try siteWithNATExample(in: dir)
        try Data("""
            repos:
              - repo: \(repoRoot.path)
                rev: \(head)
                hooks:
                  - id: netc-check
                  - id: netc-build-check

            """.utf8).write(to: dir.appendingPathComponent(".pre-commit-config.yaml"))
        for args in [["init", "-q"], ["add", "."]] { XCTAssertEqual(try HostTools.run("git", ["-C", dir.path] + args).status, 0) }

        func hooks() throws -> (status: Int32, output: String) {
            try CLI.withNetcOnPath(preCommit!, ["run", "--all-files"], in: dir, env: ["PRE_COMMIT_HOME": cache.path])
        }
        var r = try hooks()
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssert(r.output.contains("netc check") && r.output.contains("netc build --check"), r.output)

        try Data(original.replacingOccurrences(of: "mode: nat", with: "mode: natt").utf8).write(to: topology)
        r = try hooks()
        XCTAssertEqual(r.status, 1, r.output)
        XCTAssert(r.output.contains("site/topology.yaml:17:"), r.output)

        try Data(original.utf8).write(to: topology)
        let network = site.appendingPathComponent("out/networkd/10-netc-eth0.network")
        try Data((try readText(network) + "# edited\n").utf8).write(to: network)
        r = try hooks()
        XCTAssertEqual(r.status, 1, r.output)
        XCTAssert(r.output.contains("M networkd/10-netc-eth0.network"), r.output)
    }
}
