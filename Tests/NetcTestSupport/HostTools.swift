import Foundation
import XCTest
@testable import NetcCore

/// Running the real consumers (libvirt, nft, networkd) and other programs.
enum HostTools {
    struct Output { var status: Int32; var text: String }

    /// Runs a program with arguments, capturing standard output and error.
    @discardableResult
    static func run(_ program: String, _ args: [String], input: String? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : try which(program) ?? program)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        let stdin = Pipe()
        p.standardInput = stdin
        try p.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, text: String(decoding: data, as: UTF8.self))
    }

    static func which(_ tool: String) throws -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let dirs: [String] = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/lib/systemd"]
        for dir in dirs {
            let path: String = dir + "/" + tool
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The Debian package that provides each tool a test looks for; every
    /// package named here is installed by .ci/run (a test checks that).
    static let packages: [String: String] = [
        "ip": "iproute2", "ss": "iproute2", "bridge": "iproute2", "nft": "nftables", "busybox": "busybox", "socat": "socat",
        "ping": "iputils-ping", "python3": "python3", "unshare": "util-linux", "flock": "util-linux",
        "mount": "mount", "umount": "mount", "timeout": "coreutils", "sysctl": "procps", "pkill": "procps",
        "systemd-networkd": "systemd", "networkctl": "systemd", "systemd-analyze": "systemd", "libvirtd": "libvirt-daemon", "virsh": "libvirt-clients",
        "virt-xml-validate": "libvirt-clients", "dnsmasq": "dnsmasq-base", "dig": "bind9-dnsutils",
        "dbus-daemon": "dbus-daemon", "script": "bsdutils", "man": "man-db", "make": "make", "bash": "bash",
        "iptables": "iptables", "ufw": "ufw", "firewalld": "firewalld", "firewall-cmd": "firewalld",
        "tcpdump": "tcpdump", "qemu-system-x86_64": "qemu-system-x86", "libvirt_driver_qemu.so": "libvirt-daemon-driver-qemu",
        "dhclient": "isc-dhcp-client", "apt-get": "apt", "dpkg-deb": "dpkg", "xz": "xz-utils", "zstd": "zstd", "debootstrap": "debootstrap", "git": "git",
        "lintian": "lintian", "dpkg-shlibdeps": "dpkg-dev", "chroot": "coreutils", "setpriv": "util-linux", "strip": "binutils",
        "sshd": "openssh-server", "ssh": "openssh-client", "ssh-keygen": "openssh-client",
    ]

    static var isRoot: Bool { getuid() == 0 }
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Checks that the tools a consumer test needs are here (and root, when
    /// asked). Without them the test is skipped with a loud line, except
    /// under CI=true, where a skip is a failure.
    static func require(_ tools: [String], root: Bool, for test: String, file: StaticString = #filePath, line: UInt = #line) throws {
        var missing = try tools.filter { try which($0) == nil }.map { tool in
            packages[tool].map { "\(tool) (Debian package \($0))" } ?? tool
        }
        if root && !isRoot { missing.insert("root", at: 0) }
        guard !missing.isEmpty else { return }
        let message = "SKIPPED \(test): needs \(missing.joined(separator: ", ")) (run `bash .ci/run` as root to install and run everything)"
        FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
        if inCI {
            XCTFail("under CI=true a skip is a failure: \(message)", file: file, line: line)
            throw XCTSkip(message)
        }
        throw XCTSkip(message)
    }

    /// Writes an example's build to a fresh folder; returns it and the
    /// validated topology.
    static func build(example name: String, servedBy server: GuestServer? = nil, edit: ((String) -> String)? = nil,
                      into test: XCTestCase) throws -> (URL, Topology) {
        let result = try compileExample(name, servedBy: server, edit: edit)
        let plan = try XCTUnwrap(result.topology, "example \(name) has errors")
        return (try write(result.files, into: test), plan)
    }

    /// The files in a new scratch folder (an OUT), removed after the test.
    static func write(_ files: [OutputFile], into test: XCTestCase) throws -> URL {
        let dir = try temporaryFolder(test)
        for f in files {
            let url = dir.appendingPathComponent(f.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(f.bytes).write(to: url)
        }
        return dir
    }

    /// Whether this kernel can create links of `type` (bond and vlan are
    /// missing on the project's machines): tried in a scratch namespace.
    static func kernelSupports(_ type: String) -> Bool {
        let ns = "netc-probe-\(getpid())-\(type)"
        defer { _ = try? run("ip", ["netns", "del", ns]) }
        guard (try? run("ip", ["netns", "add", ns]))?.status == 0 else { return false }
        var args = ["-n", ns, "link", "add"]
        if type == "vlan" {
            guard (try? run("ip", ["-n", ns, "link", "add", "p0", "type", "dummy"]))?.status == 0 else { return false }
            args += ["link", "p0", "name", "p0.5", "type", "vlan", "id", "5"]
        } else {
            args += ["p1", "type", type]
        }
        return (try? run("ip", args))?.status == 0
    }
}
