import Foundation
import XCTest
@testable import NetcCore
@testable import NetcTestSupport

/// Real guest VMs: QEMU under software emulation (KVM does not work on
/// these machines), started by the machine's libvirt with its QEMU driver,
/// booting Debian's cloud kernel and an initramfs of Tests/vm/build-guest.sh.
/// The machine's stack only: the Debian 13 root has no QEMU driver
/// (docs/install.md, support matrix).
final class GuestVMTests: XCTestCase {
    /// `netc apply` and `netc status` with a real guest VM (QEMU under
    /// software emulation, started by libvirt's QEMU driver, its tap on the
    /// network's bridge; Tests/e2e/guests.sh): a reservation and a DHCP
    /// range taken live with no probe lost, a restart refused without
    /// --allow-guest-disruption and, with it, the tap plugged back and the
    /// guest upstream again from its new subnet, a removal refused, hand
    /// drift named by status and mended by apply, and a second apply that
    /// only reads.
    func testARunningGuestVMStaysConnectedAndStatusNamesDrift() throws {
        try HostTools.require(EndToEndTests.tools + ["dbus-daemon", "networkctl", "qemu-system-x86_64", "apt-get", "dpkg-deb", "xz", "zstd"], root: true,
                              for: "netc apply with a real guest VM")
        let qemuDriver = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib").contains { arch in
            FileManager.default.fileExists(atPath: "/usr/lib/\(arch)/libvirt/connection-driver/libvirt_driver_qemu.so")
        }
        if !qemuDriver { try HostTools.require(["libvirt_driver_qemu.so"], root: true, for: "netc apply with a real guest VM") }
        // The guest's kernel and initramfs, built once into .build/guest.
        let guest = repoRoot.appendingPathComponent(".build/guest")
        let built = try HostTools.run("/bin/bash", [repoRoot.appendingPathComponent("Tests/vm/build-guest.sh").path, guest.path])
        XCTAssertEqual(built.status, 0, built.text)
        let dir = try temporaryFolder(self)
        let versions = ["g0", "g1", "g2", "g3", "g4", "g5"]
        for v in versions {
            let r = try CLI.run(["build", repoRoot.appendingPathComponent("Tests/e2e/guests/\(v).yaml").path, "-o", dir.appendingPathComponent(v).path])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let script = repoRoot.appendingPathComponent("Tests/e2e/guests.sh").path
        let r = try HostTools.run("/bin/bash", [script, CLI.binary.path, guest.path] + versions.map { dir.appendingPathComponent($0).path })
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
        XCTAssertGreaterThanOrEqual(r.text.components(separatedBy: "\nok: ").count - 1, 27, r.text)
    }

    /// Bonds and VLANs for real: a topology with an LACP bond of two NICs,
    /// VLANs on it and a bridge on a VLAN (Tests/e2e/bonds/), built and
    /// brought up by networkd inside a guest VM, whose kernel has bonding
    /// and 802.1Q (this machine's has neither): both members in the bond,
    /// the VLAN ids and MTU, the addresses, and ARP answered on each VLAN,
    /// tagged (Tests/e2e/bonds.sh).
    func testBondsAndVLANsComeUpOnARealKernel() throws {
        try HostTools.require(["ip", "tcpdump", "python3", "busybox", "qemu-system-x86_64", "apt-get", "dpkg-deb", "xz", "zstd"], root: true,
                              for: "bonds and VLANs in a guest VM")
        let guest = repoRoot.appendingPathComponent(".build/guest")
        let built = try HostTools.run("/bin/bash", [repoRoot.appendingPathComponent("Tests/vm/build-guest.sh").path, guest.path])
        XCTAssertEqual(built.status, 0, built.text)
        let out = try temporaryFolder(self)
        let r0 = try CLI.run(["build", repoRoot.appendingPathComponent("Tests/e2e/bonds/topology.yaml").path, "-o", out.path])
        XCTAssertEqual(r0.status, 0, r0.stderr)
        let r = try HostTools.run("/bin/bash", [repoRoot.appendingPathComponent("Tests/e2e/bonds.sh").path, guest.path, out.path])
        XCTAssertEqual(r.status, 0, r.text)
        XCTAssert(r.text.hasSuffix("all checks passed\n"), r.text)
        XCTAssertEqual(r.text.split(separator: "\n").filter { $0.hasPrefix("ok: ") }.count, 11, r.text)
    }
}
