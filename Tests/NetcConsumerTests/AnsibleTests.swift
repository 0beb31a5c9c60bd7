import Foundation
import XCTest
@testable import NetcTestSupport

/// The netc.kvm Ansible collection (ansible/ansible_collections/netc/kvm)
/// with the pinned ansible-core .ci/run installs into .build-tools/ansible:
/// over real SSH against two hosts in namespaces (Tests/e2e/ansible.sh), its
/// docs rendered by ansible-doc, its argument specs refusing bad options,
/// and ansible-test sanity. The sanity run (a minute, mostly pylint and
/// pip) starts when the class does and runs beside the SSH scenarios, which
/// mostly wait.
final class AnsibleTests: XCTestCase {
    static let collection = repoRoot.appendingPathComponent("ansible/ansible_collections/netc/kvm")
    static let pinned = "ansible-core==2.19.14, as .ci/run installs into .build-tools/ansible"

    /// The folder of ansible-playbook: .build-tools/ansible/bin, else PATH's.
    static var bin: String? {
        let local = repoRoot.appendingPathComponent(".build-tools/ansible/bin")
        if FileManager.default.isExecutableFile(atPath: local.appendingPathComponent("ansible-playbook").path) { return local.path }
        return (try? HostTools.which("ansible-playbook")).flatMap { $0.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } }
    }

    static func requireAnsible(for what: String, root: Bool = false, tools: [String] = [],
                               file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let bin else {
            try HostTools.require(["ansible-playbook (\(pinned))"], root: root, for: what, file: file, line: line)
            throw XCTSkip("no ansible-playbook")
        }
        try HostTools.require(tools, root: root, for: what, file: file, line: line)
        return bin
    }

    /// An Ansible command with the environment the tests give it: a home of
    /// the test's own, no warnings about the controller's libraries.
    static func ansible(_ bin: String, _ tool: String, _ args: [String], home: URL, in dir: URL? = nil,
                        env: [String: String] = [:]) throws -> HostTools.Output {
        var vars = ["ANSIBLE_HOME=\(home.path)", "HOME=\(home.path)", "PYTHONWARNINGS=ignore", "ANSIBLE_NOCOLOR=1"]
        vars += env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let cd = dir.map { ["-C", $0.path] } ?? []
        return try HostTools.run("/usr/bin/env", cd + vars + [bin + "/" + tool] + args)
    }

    /// `ansible-galaxy collection build` of the collection into `dir`;
    /// returns the tarball.
    static func build(_ bin: String, into dir: URL) throws -> URL {
        let r = try ansible(bin, "ansible-galaxy", ["collection", "build", "--output-path", dir.path, collection.path],
                            home: dir.appendingPathComponent("home"))
        XCTAssertEqual(r.status, 0, r.text)
        return dir.appendingPathComponent("netc-kvm-\(try galaxyVersion()).tar.gz")
    }

    static func galaxyVersion() throws -> String {
        let text = try readText(collection.appendingPathComponent("galaxy.yml"))
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("version: ") })
        return String(line.dropFirst("version: ".count))
    }

    // MARK: ansible-test sanity, in the background from the class's start

    nonisolated(unsafe) static var sanity: Process?
    nonisolated(unsafe) static var sanityLog: URL?

    override class func setUp() {
        super.setUp()
        guard let bin, (try? HostTools.which("git")) != nil else { return }
        // ansible-test runs where a collection sits, ansible_collections/NS/NAME:
        // a copy outside git, so that it tests every file of the working tree.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("netc-sanity-\(UUID().uuidString)")
        let copy = dir.appendingPathComponent("ansible_collections/netc/kvm")
        let home = repoRoot.appendingPathComponent(".build-tools/ansible-test-home")
        do {
            try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: collection, to: copy)
            try writeOfflinePipBootstrap(home: home)
        } catch { return }
        let log = dir.appendingPathComponent("sanity.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["HOME=\(home.path)", "PYTHONWARNINGS=ignore", "ANSIBLE_NOCOLOR=1", bin + "/ansible-test",
                       "sanity", "--python", pythonVersion(bin), "--requirements", "--color", "no"]
        p.currentDirectoryURL = copy
        let handle = try? FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        if (try? p.run()) != nil { sanity = p; sanityLog = log }
    }

    /// The Python ansible-core runs on ("3.11"): the one version sanity tests.
    static func pythonVersion(_ bin: String) -> String {
        let r = try? HostTools.run(bin + "/python3", ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        return r?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? "3"
    }

    /// ansible-test bootstraps pip in each of its virtual environments with
    /// a script from ci-files.testing.ansible.com, which this machine and CI
    /// cannot reach. Its cache takes this one instead: the pip Python
    /// bundles (ensurepip), then the pip ansible-test pins, from PyPI.
    static func writeOfflinePipBootstrap(home: URL) throws {
        let cache = home.appendingPathComponent(".ansible/test/cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try Data("""
            # Written by Tests/NetcConsumerTests/AnsibleTests.swift: ansible-test's pip
            # bootstrap, from ensurepip and PyPI.
            import subprocess, sys
            subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
            subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "pip==24.2"])

            """.utf8).write(to: cache.appendingPathComponent("get_pip_24_2.py"))
    }

    // MARK: the tests

    /// Scenarios 1-4 of Tests/e2e/ansible.sh: first run installs the
    /// package (make deb's, as PackageTests) and changes both hosts, second
    /// changed=0 with only reads, --check --diff names exactly the changes
    /// and changes nothing, a change that cuts one host off rolled back by
    /// that host while the other keeps its change.
    func testOverSSHTwoHostsApplyCheckDiffAndRollBackWhenCutOff() throws {
        let bin = try Self.requireAnsible(for: "the Ansible collection over SSH", root: true,
                                          tools: EndToEndTests.tools + ["sshd", "ssh", "ssh-keygen", "dbus-daemon", "networkctl"])
        let deb = try PackageTests.builtPackage(for: "the Ansible collection over SSH (its role installs the package)")
        let dir = try temporaryFolder(self)
        let tarball = try Self.build(bin, into: dir)
        let run = try HostTools.run("/bin/bash", [repoRoot.appendingPathComponent("Tests/e2e/ansible.sh").path, CLI.binary.path, bin,
                                                  tarball.path, repoRoot.appendingPathComponent("Tests/e2e/ansible").path, deb])
        print(run.text.split(separator: "\n").filter { $0.hasPrefix("ok: ") && !$0.hasPrefix("ok: [") || $0.hasPrefix("FAIL") }.joined(separator: "\n"))
        XCTAssertEqual(run.status, 0, run.text)
        XCTAssert(run.text.hasSuffix("all checks passed\n"), run.text)
        XCTAssertGreaterThanOrEqual(run.text.components(separatedBy: "\nok: ").count - 1, 41, run.text)
    }

    /// ansible-doc renders each module and the role; the argument specs
    /// refuse a bad type and an unknown option, naming them.
    func testDocsRenderAndBadOptionsAreRefused() throws {
        let bin = try Self.requireAnsible(for: "the Ansible collection's docs")
        let dir = try temporaryFolder(self), home = dir.appendingPathComponent("home")
        let collections = dir.appendingPathComponent("collections").path
        var r = try Self.ansible(bin, "ansible-galaxy", ["collection", "install", "-p", collections, try Self.build(bin, into: dir).path], home: home)
        XCTAssertEqual(r.status, 0, r.text)
        let env = ["ANSIBLE_COLLECTIONS_PATH": collections]
        for (module, phrases) in [("apply", ["changed' is true exactly when", "confirm_timeout", "allow_guest_disruption", "RETURN VALUES"]),
                                  ("confirm", ["netc apply --confirmed", "reset_connection"]),
                                  ("status", ["netc_status", "in_sync"])] {
            r = try Self.ansible(bin, "ansible-doc", ["netc.kvm." + module], home: home, env: env)
            XCTAssertEqual(r.status, 0, r.text)
            XCTAssert(r.text.contains("netc.kvm.\(module)"), r.text)
            for p in phrases { XCTAssert(r.text.contains(p), "ansible-doc netc.kvm.\(module) lacks '\(p)':\n\(r.text)") }
        }
        r = try Self.ansible(bin, "ansible-doc", ["-t", "role", "netc.kvm.apply"], home: home, env: env)
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.contains("netc_allow_guest_disruption") && r.text.contains("netc_confirm_timeout"), r.text)

        // A folder netc built, so that the action plugin sends it and the
        // module's own argument spec answers.
        let out = dir.appendingPathComponent("out")
        XCTAssertEqual(try CLI.run(["build", examplesDir.appendingPathComponent("nat/topology.yaml").path, "-o", out.path]).status, 0)
        func adhoc(_ args: String) throws -> HostTools.Output {
            try Self.ansible(bin, "ansible", ["localhost", "-c", "local", "-m", "netc.kvm.apply", "-a", args], home: home, env: env)
        }
        r = try adhoc("src=\(out.path) confirm_timeout=soon")
        XCTAssertNotEqual(r.status, 0, r.text)
        XCTAssert(r.text.contains("confirm_timeout") && r.text.contains("unable to convert to int"), r.text)
        r = try adhoc("src=\(out.path) colour=red")
        XCTAssertNotEqual(r.status, 0, r.text)
        XCTAssert(r.text.contains("Unsupported parameters") && r.text.contains("colour"), r.text)
        r = try adhoc("src=\(dir.path)")
        XCTAssertNotEqual(r.status, 0, r.text)
        XCTAssert(r.text.contains("holds no nftables/netc.nft"), r.text)
        // The role's argument spec.
        try Data("""
            - hosts: localhost
              connection: local
              gather_facts: false
              roles:
                - role: netc.kvm.apply
                  netc_confirm_timeout: soon

            """.utf8).write(to: dir.appendingPathComponent("play.yml"))
        r = try Self.ansible(bin, "ansible-playbook", ["play.yml"], home: home, in: dir, env: env)
        XCTAssertNotEqual(r.status, 0, r.text)
        XCTAssert(r.text.contains("netc_confirm_timeout") && r.text.contains("unable to convert to int"), r.text)
    }

    /// `ansible-test sanity` (every test ansible-core 2.19 has for a
    /// collection, on the Python it runs on), started by the class's setUp.
    func testSanity() throws {
        _ = try Self.requireAnsible(for: "ansible-test sanity", tools: ["git"])
        let p = try XCTUnwrap(Self.sanity, "ansible-test did not start")
        p.waitUntilExit()
        let text = try readText(try XCTUnwrap(Self.sanityLog))
        let ran = text.split(separator: "\n").filter { $0.hasPrefix("Running sanity test") }
        print(ran.joined(separator: "\n"))
        XCTAssertEqual(p.terminationStatus, 0, text)
        for test in ["validate-modules", "pylint", "pep8", "import", "compile", "ansible-doc", "yamllint", "action-plugin-docs", "runtime-metadata"] {
            XCTAssert(ran.contains { $0.contains("\"\(test)\"") }, "sanity did not run \(test):\n\(text)")
        }
    }
}
