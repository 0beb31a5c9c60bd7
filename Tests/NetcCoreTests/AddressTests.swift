import XCTest
@testable import NetcCore
@testable import NetcTestSupport

final class AddressTests: XCTestCase {
    func testIPv4() {
        XCTAssertEqual(IPAddress("192.168.122.1")?.description, "192.168.122.1")
        XCTAssertEqual(IPAddress("0.0.0.0")?.value, 0)
        XCTAssertEqual(IPAddress("255.255.255.255")?.value, 0xffff_ffff)
        for bad in ["192.168.122", "192.168.122.1.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.4a", "", "1.2.3.1000"] {
            XCTAssertNil(IPAddress(bad), bad)
        }
    }

    func testIPv6CanonicalText() {
        XCTAssertEqual(IPAddress("2001:DB8:0:0:0:0:0:1")?.description, "2001:db8::1")
        XCTAssertEqual(IPAddress("fd00:122::")?.description, "fd00:122::")
        XCTAssertEqual(IPAddress("::")?.description, "::")
        XCTAssertEqual(IPAddress("2001:db8:0:1:0:0:0:1")?.description, "2001:db8:0:1::1")
        XCTAssertEqual(IPAddress("2001:0:0:1:0:0:0:1")?.description, "2001:0:0:1::1", "leftmost of equal runs")
        XCTAssertEqual(IPAddress("2001:db8:1:2:3:4:5:6")?.description, "2001:db8:1:2:3:4:5:6")
        XCTAssertEqual(IPAddress("::ffff:192.0.2.1")?.description, "::ffff:c000:201")
        for bad in ["2001:db8::1::2", "2001:db8:::1", "12345::", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9"] {
            XCTAssertNil(IPAddress(bad), bad)
        }
    }

    func testCIDR() throws {
        let c = try XCTUnwrap(CIDR("192.168.122.10/24"))
        XCTAssertEqual(c.subnet.description, "192.168.122.0/24")
        XCTAssertTrue(c.hasHostBits)
        XCTAssertEqual(c.last.description, "192.168.122.255")
        XCTAssertTrue(c.isNetworkOrBroadcast(IPAddress("192.168.122.255")!))
        XCTAssertFalse(c.isNetworkOrBroadcast(IPAddress("192.168.122.254")!))
        XCTAssertTrue(CIDR("10.0.0.0/8")!.overlaps(CIDR("10.1.0.0/16")!))
        XCTAssertFalse(CIDR("10.0.0.0/16")!.overlaps(CIDR("10.1.0.0/16")!))
        XCTAssertFalse(CIDR("10.0.0.0/8")!.overlaps(CIDR("fd00::/8")!))
        XCTAssertEqual(CIDR("::/0")?.last.description, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")
        for bad in ["10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/2a", "fd00::/129"] { XCTAssertNil(CIDR(bad), bad) }
    }

    func testMAC() {
        XCTAssertEqual(MACAddress("52:54:00:AB:cd:EF")?.description, "52:54:00:ab:cd:ef")
        XCTAssertEqual(MACAddress("52-54-00-ab-cd-ef")?.description, "52:54:00:ab:cd:ef")
        XCTAssertTrue(MACAddress("01:00:5e:00:00:01")!.isMulticast)
        for bad in ["52:54:00:ab:cd", "52:54:00:ab:cd:eg", "525400abcdef", "52:54:00:ab:cd:ef:00"] { XCTAssertNil(MACAddress(bad), bad) }
    }

    func testUnifiedDiff() {
        XCTAssertEqual(UnifiedDiff.diff(old: "a\nb\nc\n", new: "a\nB\nc\n", path: "f"),
                       "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")
        XCTAssertEqual(UnifiedDiff.diff(old: nil, new: "x\n", path: "f"), "--- /dev/null\n+++ f\n@@ -0,0 +1 @@\n+x\n")
        XCTAssertEqual(UnifiedDiff.diff(old: "x\n", new: nil, path: "f"), "--- f\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n")
        XCTAssertEqual(UnifiedDiff.diff(old: "x", new: "x\n", path: "f"), "--- f\n+++ f\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n")
        XCTAssertEqual(UnifiedDiff.diff(old: "same\n", new: "same\n", path: "f"), "")
        let old = (1...20).map { "l\($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "l2\n", with: "L2\n").replacingOccurrences(of: "l19\n", with: "L19\n")
        XCTAssertEqual(UnifiedDiff.diff(old: old, new: new, path: "f"), """
        --- f
        +++ f
        @@ -1,5 +1,5 @@
         l1
        -l2
        +L2
         l3
         l4
         l5
        @@ -16,5 +16,5 @@
         l16
         l17
         l18
        -l19
        +L19
         l20

        """)
    }
}
